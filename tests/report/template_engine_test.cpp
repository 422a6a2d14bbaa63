// SPDX-License-Identifier: Apache-2.0
#include "report/template_engine.hpp"

#include <string>
#include <vector>

#include "catch.hpp"
#include "report/escape.hpp"

using vitals::Diagnostic;
using vitals::detail::html_escape;
using vitals::detail::TemplateLimits;
using vitals::detail::TemplateSet;
using vitals::detail::TemplateValue;

namespace {

using V = TemplateValue;

// Renders `text` as template "t.html" (with `partials` added first) and
// returns the output, or "ERROR <diagnostic>" for the first diagnostic.
std::string render(const std::string& text, const V& data,
                   const std::vector<std::pair<std::string, std::string>>& partials = {},
                   TemplateLimits limits = {}) {
  TemplateSet set(limits);
  std::vector<Diagnostic> diagnostics;
  for (const auto& [name, body] : partials) set.add(name, name, body, diagnostics);
  set.add("t.html", "t.html", text, diagnostics);
  if (!diagnostics.empty()) return "ERROR " + diagnostics.front().to_string();
  auto out = set.render("t.html", data, html_escape, diagnostics);
  if (!out) return "ERROR " + diagnostics.front().to_string();
  return *out;
}

V sample() {
  V root = V::object();
  root.set("title", "Delays <social care> & \"more\"");
  root.set("chart", V::markup("<svg><title>x</title></svg>"));
  root.set("yes", true);
  root.set("no", false);
  root.set("empty", "");
  V items = V::list();
  for (const char* name : {"a", "b", "c"}) {
    V item = V::object();
    item.set("name", name);
    items.push(std::move(item));
  }
  root.set("items", std::move(items));
  V officer = V::object();
  officer.set("role", "Lead");
  root.set("officer", std::move(officer));
  V words = V::list();
  words.push(V::text("x<y"));
  words.push(V::text("z"));
  root.set("words", std::move(words));
  return root;
}

}  // namespace

TEST_CASE("variables are HTML-escaped and only markup may be inserted raw", "[report][template]") {
  CHECK(render("<h1>{{title}}</h1>", sample()) ==
        "<h1>Delays &lt;social care&gt; &amp; &quot;more&quot;</h1>");
  CHECK(render("{{{chart}}}", sample()) == "<svg><title>x</title></svg>");
  CHECK(render("{{& chart}}", sample()) == "<svg><title>x</title></svg>");
  CHECK(render("a\n  {{{title}}}", sample()) ==
        "ERROR t.html:2:3: error: '{{{title}}}' would insert 'title' unescaped, but only markup Vitals "
        "makes (such as charts) may be: write {{title}} [template.untrusted_raw]");
  // Markup written with {{ }} is escaped like any text: safe, if not useful.
  CHECK(render("{{chart}}", sample()) == "&lt;svg&gt;&lt;title&gt;x&lt;/title&gt;&lt;/svg&gt;");
}

TEST_CASE("sections repeat over lists, enter objects and test flags", "[report][template]") {
  CHECK(render("{{#items}}[{{name}}]{{/items}}", sample()) == "[a][b][c]");
  CHECK(render("{{#words}}<{{.}}>{{/words}}", sample()) == "<x&lt;y><z>");
  CHECK(render("{{#officer}}{{role}}: {{title}}{{/officer}}", sample()) ==
        "Lead: Delays &lt;social care&gt; &amp; &quot;more&quot;");
  CHECK(render("{{officer.role}}", sample()) == "Lead");
  CHECK(render("{{#yes}}Y{{/yes}}{{#no}}N{{/no}}{{^no}}not{{/no}}{{^yes}}X{{/yes}}", sample()) == "Ynot");
  CHECK(render("{{#empty}}E{{/empty}}{{^empty}}blank{{/empty}}", sample()) == "blank");
  CHECK(render("{{#items}}{{#yes}}{{name}}{{/yes}}{{/items}}", sample()) == "abc");
  CHECK(render("{{yes}}/{{no}}", sample()) == "true/false");
  CHECK(render("a{{! a comment }}b", sample()) == "ab");
}

TEST_CASE("a tag alone on its line takes the line with it", "[report][template]") {
  CHECK(render("<ul>\n  {{#items}}\n  <li>{{name}}</li>\n  {{/items}}\n</ul>\n", sample()) ==
        "<ul>\n  <li>a</li>\n  <li>b</li>\n  <li>c</li>\n</ul>\n");
  CHECK(render("x\n{{! note }}\ny\n", sample()) == "x\ny\n");
  // Two tags on one line, or a tag beside text, keep the line.
  CHECK(render("{{#yes}}{{/yes}}\nz", sample()) == "\nz");
  CHECK(render("  {{title}}\n", sample()) == "  Delays &lt;social care&gt; &amp; &quot;more&quot;\n");
}

TEST_CASE("partials take the including template's extension unless they name one", "[report][template]") {
  CHECK(render("<b>{{>row}}</b>", sample(), {{"row.html", "{{officer.role}}"}}) == "<b>Lead</b>");
  CHECK(render("<style>{{>styles.css}}</style>", sample(), {{"styles.css", "p{color:red}"}}) ==
        "<style>p{color:red}</style>");
  CHECK(render("{{#items}}{{>item}}{{/items}}", sample(), {{"item.html", "({{name}})"}}) == "(a)(b)(c)");
  CHECK(render("x\n{{>missing}}", sample()) ==
        "ERROR t.html:2:1: error: no template 'missing.html' for '{{>missing}}' [template.unknown_partial]");
}

TEST_CASE("an unknown name is an error at its tag, so typos show", "[report][template]") {
  CHECK(render("ok\n  {{titel}}", sample()) == "ERROR t.html:2:3: error: unknown name 'titel' [template.unknown_name]");
  CHECK(render("{{officer.name}}", sample()) ==
        "ERROR t.html:1:1: error: 'officer' has no field 'name' [template.unknown_name]");
  CHECK(render("{{items}}", sample()) ==
        "ERROR t.html:1:1: error: 'items' is a list, not text: use it as a section, {{#items}}...{{/items}} "
        "[template.not_text]");
}

TEST_CASE("syntax errors name the template file, line and column", "[report][template]") {
  CHECK(render("line one\nab {{title", sample()) ==
        "ERROR t.html:2:4: error: tag opened with '{{' at 2:4 is not closed with '}}' [template.unclosed_tag]");
  CHECK(render("{{title\n}}", sample()) ==
        "ERROR t.html:1:1: error: tag opened with '{{' at 1:1 is not closed with '}}' on the same line "
        "[template.unclosed_tag]");
  CHECK(render("{{{chart}}", sample()) ==
        "ERROR t.html:1:1: error: tag opened with '{{{' at 1:1 is not closed with '}}}' [template.unclosed_tag]");
  CHECK(render("x\n {{#items}}\n{{name}}", sample()) ==
        "ERROR t.html:2:2: error: section '{{#items}}' is never closed with '{{/items}}' [template.unclosed_section]");
  CHECK(render("{{#items}}{{/item}}", sample()) ==
        "ERROR t.html:1:11: error: '{{/item}}' does not match '{{#items}}' opened at 1:1 "
        "[template.unexpected_close]");
  CHECK(render("a{{/items}}", sample()) == "ERROR t.html:1:2: error: '{{/items}}' closes no section [template.unexpected_close]");
  CHECK(render("{{a b}}", sample()) ==
        "ERROR t.html:1:1: error: 'a b' is not a valid name: use letters, digits, '_', '-' and '.' [template.bad_tag]");
  CHECK(render("{{}}", sample()) == "ERROR t.html:1:1: error: tag has no name [template.bad_tag]");
  CHECK(render("{{=<% %>=}}", sample()) ==
        "ERROR t.html:1:1: error: changing the tag delimiters ({{=...=}}) is not supported [template.bad_tag]");
}

TEST_CASE("hostile templates are rejected or bounded", "[report][template][hostile]") {
  SECTION("nesting deeper than the limit is refused when parsed") {
    std::string deep;
    for (int i = 0; i < 40; ++i) deep += "{{#yes}}";
    for (int i = 0; i < 40; ++i) deep += "{{/yes}}";
    CHECK(render(deep, sample()) ==
          "ERROR t.html:1:257: error: sections are nested more than 32 deep [template.too_deep]");
  }
  SECTION("a partial that includes itself stops at the depth limit") {
    CHECK(render("{{>loop}}", sample(), {{"loop.html", "x{{>loop}}"}}) ==
          "ERROR loop.html:1:2: error: partials are included more than 16 deep; does 'loop.html' include "
          "itself? [template.partial_depth]");
    CHECK(render("{{>a}}", sample(), {{"a.html", "{{>b}}"}, {"b.html", "{{>a}}"}}).find("[template.partial_depth]") !=
          std::string::npos);
  }
  SECTION("output is capped") {
    TemplateLimits limits;
    limits.max_output_bytes = 1000;
    // Each level multiplies the output by three: 3^10 copies of the title.
    std::string bomb = "{{title}}";
    for (int i = 0; i < 10; ++i) bomb = "{{#items}}" + bomb + "{{/items}}";
    CHECK(render(bomb, sample(), {}, limits) ==
          "ERROR t.html:1:101: error: the output would exceed 1000 bytes [template.output_limit]");
  }
  SECTION("work that writes nothing is capped too") {
    TemplateLimits limits;
    limits.max_steps = 10000;
    std::string spin = "{{#no}}x{{/no}}";
    for (int i = 0; i < 20; ++i) spin = "{{#items}}" + spin + "{{/items}}";
    std::string out = render(spin, sample(), {}, limits);
    CHECK(out.find("[template.step_limit]") != std::string::npos);
    CHECK(out.find("rendering took more than 10000 steps") != std::string::npos);
  }
  SECTION("an oversized template is refused before it is parsed") {
    TemplateLimits limits;
    limits.max_template_bytes = 64;
    CHECK(render(std::string(100, 'x'), sample(), {}, limits) ==
          "ERROR t.html: error: template is 100 bytes; the limit is 64 [template.too_large]");
  }
}

TEST_CASE("a template that failed to parse leaves the set unchanged", "[report][template]") {
  TemplateSet set;
  std::vector<Diagnostic> diagnostics;
  REQUIRE(set.add("t.html", "t.html", "good {{title}}", diagnostics));
  CHECK_FALSE(set.add("t.html", "override/t.html", "bad {{title", diagnostics));
  REQUIRE(diagnostics.size() == 1);
  CHECK(diagnostics[0].location->file == "override/t.html");
  auto out = set.render("t.html", sample(), html_escape, diagnostics);
  REQUIRE(out);
  CHECK(out->rfind("good ", 0) == 0);
  CHECK(set.names() == std::vector<std::string>{"t.html"});
}
