// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <vitals/catalogue.hpp>
#include <vitals/diagnostic.hpp>
#include <vitals/export.hpp>
#include <vitals/period.hpp>
#include <vitals/report.hpp>
#include <vitals/status.hpp>

namespace vitals {

// ---------------------------------------------------------------------------
// The published site (`vitals publish`, docs/publishing.md): every vital sign
// of a period, exceptions or not, as static pages for the council's website.
//
//   <site>/index.html                      every publication, newest first
//   <site>/<folder>/index.html             the RAG dashboard of the period
//   <site>/<folder>/indicators/<id>.html   each indicator's card and history
//   <site>/<folder>/downloads/dashboard.csv, series.csv, vital-signs.xlsx
//
// where <folder> is publication_folder_name() of the period ("2017-03",
// "2016-17-q4"). Pages load nothing from elsewhere and run no script; every
// link is relative, so the site can be copied to any web server.
// Thread safety: these functions share no state (publish_site starts its
// own threads and joins them before it returns); publishing into the same
// site directory from two processes at once is not supported.

/// The folder of a publication for `period`: its canonical text in lower
/// case with "/" written "-" ("2017-03", "2016-17-q4", "2016-17").
VITALS_API std::string publication_folder_name(const Period& period);

/// The period to evaluate when publishing `period` for `catalogue`: `period`
/// itself when an indicator is reported at its frequency, else the month (or
/// the shortest period of an indicator's frequency) that ends with it, so that
/// each indicator is shown at its latest period inside `period` by its own
/// frequency (Q4 2016/17 of a monthly catalogue is March 2017). `period` when
/// no indicator's frequency has a period ending with it.
VITALS_API Period publication_evaluation_period(const Catalogue& catalogue, const Period& period);

/// How to publish.
struct PublishOptions {
  /// The site's root folder (created when missing).
  std::filesystem::path site_dir;
  /// The period the publication is for, as the reader sees it (a quarter or
  /// a month); inputs.report may be evaluated at a shorter period ending with
  /// it (publication_evaluation_period()).
  Period period;
  /// Replace a publication of the same period. Without it publishing a period
  /// already published fails with kAlreadyExists and changes nothing.
  bool replace = false;
  /// Threads that render the pages (0: one per core). The workbook is
  /// written on a thread of its own besides these. The files are the same
  /// whatever the number.
  int threads = 0;
};

/// What publish_site wrote.
struct PublishSummary {
  /// The publication's folder, <site_dir>/<publication_folder_name()>.
  std::filesystem::path folder;
  /// Every file of the publication, relative to `folder`, sorted.
  std::vector<std::filesystem::path> files;
  /// Whether a publication of the same period was replaced.
  bool replaced = false;
  /// The publications the landing page lists, newest first (folder names).
  std::vector<std::string> publications;
  /// Template problems, located.
  std::vector<Diagnostic> diagnostics;
};

/// Publishes every indicator of `inputs.report` for `options.period`: writes
/// the publication into a temporary folder of the site, moves it into place
/// and rewrites <site_dir>/index.html from the publication folders present.
/// Other publications' folders are never touched. Indicator pages show
/// IndicatorResult::full_history when it was filled (EvaluateOptions::
/// full_history), else the rolling history. Deterministic: the same inputs
/// give the same bytes in every file, the workbook included.
/// Returns kAlreadyExists when the period is published and !options.replace;
/// kValidationError for template problems (see diagnostics); kIoError when a
/// file cannot be written (the site is then as it was, apart from the
/// landing page when only that failed). Never throws.
VITALS_API Result<PublishSummary> publish_site(const ReportInputs& inputs, const PublishOptions& options);

}  // namespace vitals
