// SPDX-License-Identifier: Apache-2.0
// Prints HTML pages to A4 PDF with headless Chromium, portrait and landscape,
// and checks the paper: every word lies inside the page box, and no text is
// smaller than 8pt.
//
//   node print_check.mjs [--chromium PATH] [--min-pt 8] --out DIR PAGE.html...
//
// Writes DIR/<page>-styled.pdf (the page sizes the report's print styles ask
// for: the dashboard landscape, the cards portrait), DIR/<page>-portrait.pdf
// and DIR/<page>-landscape.pdf (every page in one orientation, as a browser
// or printer that ignores the CSS page size prints it). The words and
// their boxes come from poppler's `pdftotext -bbox-layout`. A word's box is as
// tall as its font's ascent plus descent, about 1.1 to 1.2 times the font
// size depending on the font, so the checker first prints a calibration page
// with the same fonts as the report at a known size and takes the height of a
// word per point from it. The running footer (page number, title, period)
// comes from the report's own print styles (@page margin boxes).
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

function usage(message) {
  console.error(`print_check: ${message}`);
  console.error('usage: node print_check.mjs [--chromium PATH] [--min-pt N] --out DIR PAGE.html...');
  process.exit(2);
}

function parseArgs(argv) {
  const options = { chromium: process.env.CHROMIUM || '/usr/bin/chromium', minPt: 8, out: null, pages: [] };
  for (let i = 0; i < argv.length; ++i) {
    const arg = argv[i];
    if (arg === '--chromium' && i + 1 < argv.length) options.chromium = argv[++i];
    else if (arg === '--min-pt' && i + 1 < argv.length) options.minPt = Number(argv[++i]);
    else if (arg === '--out' && i + 1 < argv.length) options.out = path.resolve(argv[++i]);
    else if (arg.startsWith('--')) usage(`unknown option ${arg}`);
    else options.pages.push(path.resolve(arg));
  }
  if (!options.out) usage('--out DIR is required');
  if (options.pages.length === 0) usage('no page given');
  return options;
}

function chromiumFlags() {
  return readFileSync(path.join(here, 'chromium.flags'), 'utf8')
    .split('\n').map((line) => line.trim()).filter((line) => line && line !== '--headless');
}

function decodeEntities(text) {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

// The pages of a PDF, each with its size and its words' boxes (in points).
function pdfWords(pdf) {
  const xhtml = execFileSync('pdftotext', ['-bbox-layout', pdf, '-'], { encoding: 'utf8', maxBuffer: 256 << 20 });
  const pages = [];
  const pageRe = /<page width="([\d.]+)" height="([\d.]+)">([\s\S]*?)<\/page>/g;
  const wordRe = /<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">([^<]*)<\/word>/g;
  for (const [, width, height, body] of xhtml.matchAll(pageRe)) {
    const words = [...body.matchAll(wordRe)].map(([, x0, y0, x1, y1, text]) => ({
      x0: Number(x0), y0: Number(y0), x1: Number(x1), y1: Number(y1), text: decodeEntities(text),
    }));
    pages.push({ width: Number(width), height: Number(height), words });
  }
  return pages;
}

// Height of a word's box per point of font size, for each font family the
// report uses (the smallest, so that no legible word is taken for a small one).
async function calibrate(context, families, out) {
  const page = await context.newPage();
  const lines = families.map((family) =>
    `<p style="font-family:${family.replace(/[<>]/g, '').replace(/"/g, "'")};font-size:20pt;margin:0 0 10pt">Calibration Hxgy</p>`);
  await page.setContent(`<!DOCTYPE html><html lang="en"><body>${lines.join('')}</body></html>`);
  const pdf = path.join(out, 'calibration.pdf');
  await page.pdf({ path: pdf, format: 'A4' });
  await page.close();
  const heights = pdfWords(pdf)[0].words.map((word) => (word.y1 - word.y0) / 20);
  if (heights.length === 0) throw new Error('the calibration page has no words');
  return Math.min(...heights);
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  mkdirSync(options.out, { recursive: true });
  const browser = await chromium.launch({ executablePath: options.chromium, headless: true, args: chromiumFlags() });
  let problems = 0;
  let wordsChecked = 0;
  try {
    // bypassCSP: the orientation is forced with a style the page's
    // Content-Security-Policy would refuse.
    const context = await browser.newContext({ bypassCSP: true });
    for (const file of options.pages) {
      const page = await context.newPage();
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
      await page.emulateMedia({ media: 'print' });
      const families = await page.evaluate(() => {
        const found = new Set();
        for (const element of document.querySelectorAll('body, body *')) found.add(getComputedStyle(element).fontFamily);
        return [...found];
      });
      const perPoint = await calibrate(context, families, options.out);
      for (const orientation of ['styled', 'portrait', 'landscape']) {
        const pdf = path.join(options.out, `${path.basename(file, '.html')}-${orientation}.pdf`);
        const forced = orientation === 'styled' ? null : await page.addStyleTag({
          content: `@media print { @page { size: A4 ${orientation} !important; } ` +
                   `@page portrait { size: A4 ${orientation} !important; } }`,
        });
        await page.pdf({ path: pdf, format: 'A4', landscape: orientation === 'landscape', printBackground: true });
        if (forced) await forced.evaluate((element) => element.remove());
        const pages = pdfWords(pdf);
        const found = [];
        pages.forEach((sheet, index) => {
          for (const word of sheet.words) {
            ++wordsChecked;
            const where = `page ${index + 1}: "${word.text}"`;
            if (word.x0 < -0.5 || word.y0 < -0.5 || word.x1 > sheet.width + 0.5 || word.y1 > sheet.height + 0.5) {
              found.push(`${where} lies outside the page (${word.x0.toFixed(1)},${word.y0.toFixed(1)})-` +
                          `(${word.x1.toFixed(1)},${word.y1.toFixed(1)}) on ${sheet.width}x${sheet.height}pt`);
            }
            const size = (word.y1 - word.y0) / perPoint;
            if (size < options.minPt - 0.05) found.push(`${where} is set at about ${size.toFixed(1)}pt`);
          }
        });
        const label = `${path.basename(file)} ${orientation} (${pages.length} pages)`;
        if (found.length === 0) {
          console.log(`ok: ${label}`);
        } else {
          problems += found.length;
          console.log(`FAIL: ${label}`);
          for (const line of found.slice(0, 40)) console.log(`    ${line}`);
          if (found.length > 40) console.log(`    ... and ${found.length - 40} more`);
        }
      }
      await page.close();
    }
  } finally {
    await browser.close();
  }
  console.log(`print_check: ${wordsChecked} words checked, ${problems} problems`);
  process.exit(problems === 0 ? 0 : 1);
}

main().catch((error) => {
  console.error(`print_check: ${error.stack || error}`);
  process.exit(1);
});
