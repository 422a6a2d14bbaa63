// SPDX-License-Identifier: Apache-2.0
// Report cards are published on the council's website: whatever an officer
// or a data feed puts in a title or a commentary must come out as text.
#include <sstream>

#include <vitals/report.hpp>

#include "catch.hpp"
#include "report/escape.hpp"
#include "report/norfolk_fixture.hpp"

using namespace vitals;

namespace {

const std::string kScript = "<script>alert('x')</script>";

// Whether `needle` occurs in `text` without a backslash before it.
bool has_unescaped(const std::string& text, const std::string& needle) {
  for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
    if (at == 0 || text[at - 1] != '\\') return true;
  }
  return false;
}

struct Hostile {
  Catalogue catalogue = testing::norfolk_catalogue();
  EvaluationReport report = testing::norfolk_report(catalogue);
  CommentarySet commentary = testing::norfolk_commentary();

  Hostile() {
    // The first exception (admissions 18-64) and the dtoc card, which has commentary.
    for (IndicatorResult& r : report.indicators) {
      if (r.indicator_id == "dtoc_social_care_per_100k") {
        r.title = "Delays " + kScript + " \"quoted\" ]]> & <b>bold</b>";
      }
    }
    for (IndicatorDefinition& d : catalogue.indicators) {
      if (d.id == "dtoc_social_care_per_100k") {
        d.description = "</p><img src=x onerror=alert(1)>";
        d.lead_officer = "Director <i>of</i> \"Care\"";
      }
    }
    Commentary& c = commentary.entries[0];
    REQUIRE(c.indicator_id == "dtoc_social_care_per_100k");
    c.explanation = kScript + "\n\n[click](javascript:alert(1)) | cell | ![img](x) **bold** `code`";
    c.success = "# Heading\n\n> quote\n\n<!-- comment -->";
    c.actions = "- ok\n- </li></ul><script>x()</script>\n1. ]]>";
    report.committee = "Committee <script>";
  }

  std::string render(DocumentFormat format) const {
    std::ostringstream out;
    ReportInputs inputs{catalogue, report, commentary, {}, "Council <em>&</em>"};
    Status st = render_committee_report(inputs, format, out);
    REQUIRE(st.is_ok());
    return out.str();
  }
};

}  // namespace

TEST_CASE("HTML escaping covers the five special characters", "[report][escape]") {
  CHECK(detail::html_escape("a<b>&\"c'") == "a&lt;b&gt;&amp;&quot;c&#39;");
  CHECK(detail::html_escape("]]>") == "]]&gt;");
  CHECK(detail::html_escape("£1.2m – 3.56 ▲") == "£1.2m – 3.56 ▲");
}

TEST_CASE("CSS string escaping keeps a title inside its string and its <style>", "[report][escape]") {
  CHECK(detail::css_string_escape("Adult Social Care, March 2017") == "Adult Social Care\\2c  March 2017");
  CHECK(detail::css_string_escape("a\"} </style><script>") ==
        "a\\22 \\7d  \\3c \\2f style\\3e \\3c script\\3e ");
  CHECK(detail::css_string_escape("£1.2m – ▲") == "£1\\2e 2m – ▲");
  CHECK(detail::css_string_escape("tab\there") == "tab\\9 here");
}

TEST_CASE("Markdown escaping keeps text from becoming markup", "[report][escape]") {
  CHECK(detail::md_escape("[link](javascript:x)") == "\\[link\\](javascript:x)");
  CHECK(detail::md_escape("a | b") == "a &#124; b");
  // Character references, not "\<": Python-Markdown keeps "\<" as a
  // backslash followed by a live "<".
  CHECK(detail::md_escape("<script>") == "&lt;script&gt;");
  CHECK(detail::md_escape("'><svg/onload=alert(1)// >") == "'&gt;&lt;svg/onload=alert(1)// &gt;");
  CHECK(detail::md_escape("&amp; &copy;") == "&amp;amp; &amp;copy;");
  CHECK(detail::md_escape("= underline") == "&#61; underline");
  CHECK(detail::md_escape("**bold** _it_ `code` ~~s~~") ==
        "\\*\\*bold\\*\\* \\_it\\_ \\`code\\` &#126;&#126;s&#126;&#126;");
  CHECK(detail::md_escape("# heading") == "\\# heading");
  CHECK(detail::md_escape("- item") == "\\- item");
  CHECK(detail::md_escape("+ item") == "\\+ item");
  CHECK(detail::md_escape("1. item") == "1\\. item");
  CHECK(detail::md_escape("12) item") == "12\\) item");
  CHECK(detail::md_escape("3.56 (18-64 years) 65+ #1") == "3.56 (18-64 years) 65+ #1");
  CHECK(detail::md_escape("line\nbreak") == "line break");
  CHECK(detail::md_escape("back\\slash") == "back\\\\slash");
}

TEST_CASE("control characters and bytes that are not UTF-8 never reach a document",
          "[report][escape]") {
  using namespace std::string_literals;
  CHECK(detail::html_escape("a\x1b[2Jb\0c"s) == "a\\u001b[2Jb\\u0000c");
  CHECK(detail::html_escape("cost \xA3" "5") == "cost \xEF\xBF\xBD" "5");
  CHECK(detail::html_escape("two\nlines") == "two\nlines");
  CHECK(detail::md_escape("a\x1b[2Jb") == "a\\\\u001b\\[2Jb");
  CHECK(detail::md_escape("\xFF") == "\xEF\xBF\xBD");
}

TEST_CASE("hostile titles and commentary are text in the HTML report", "[report][escape][html]") {
  std::string html = Hostile().render(DocumentFormat::kHtml);
  // No element was injected: the only <script> text is escaped.
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("<img") == std::string::npos);
  CHECK(html.find("<b>bold") == std::string::npos);
  CHECK(html.find("<i>of") == std::string::npos);
  CHECK(html.find("<em>") == std::string::npos);
  CHECK(html.find("<!-- comment") == std::string::npos);
  CHECK(html.find("</ul><script") == std::string::npos);
  CHECK(html.find("Delays &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &quot;quoted&quot; ]]&gt; &amp; "
                  "&lt;b&gt;bold&lt;/b&gt;") != std::string::npos);
  CHECK(html.find("<p>&lt;/p&gt;&lt;img src=x onerror=alert(1)&gt;</p>") != std::string::npos);
  CHECK(html.find("<li>&lt;/li&gt;&lt;/ul&gt;&lt;script&gt;x()&lt;/script&gt;</li>") != std::string::npos);
  CHECK(html.find("<p>[click](javascript:alert(1)) | cell | ![img](x) **bold** `code`</p>") != std::string::npos);
  CHECK(html.find("<dt>Lead</dt><dd>Director &lt;i&gt;of&lt;/i&gt; &quot;Care&quot;</dd>") != std::string::npos);
  CHECK(html.find("<div class=\"organisation\">Council &lt;em&gt;&amp;&lt;/em&gt;</div>") != std::string::npos);
  // The chart's <title> carries the escaped title too.
  CHECK(html.find("<title id=\"chart-dtoc_social_care_per_100k-title\">Delays &lt;script&gt;") != std::string::npos);
  // And scripts could not run anyway: the page forbids them.
  CHECK(html.find("content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\"") != std::string::npos);
}

TEST_CASE("hostile titles and commentary are text in the Markdown report", "[report][escape][markdown]") {
  std::string md = Hostile().render(DocumentFormat::kMarkdown);
  // "<" is written as "&lt;" everywhere: no renderer can open a tag.
  CHECK(md.find("<script") == std::string::npos);
  CHECK(md.find("<img") == std::string::npos);
  CHECK(md.find("<b>") == std::string::npos);
  CHECK_FALSE(has_unescaped(md, "](javascript"));
  CHECK(md.find("&lt;img src=x onerror=alert(1)&gt;") != std::string::npos);
  CHECK(md.find("\\[click\\](javascript:alert(1)) &#124; cell &#124; !\\[img\\](x) \\*\\*bold\\*\\* "
                "\\`code\\`") != std::string::npos);
  CHECK(md.find("&lt;script&gt;alert('x')&lt;/script&gt;") != std::string::npos);
  CHECK(md.find("\n\\# Heading\n") != std::string::npos);
  CHECK(md.find("\n&gt; quote\n") != std::string::npos);
  CHECK(md.find("\n&lt;!-- comment --&gt;\n") != std::string::npos);
  CHECK(md.find("\n1. \\]\\]&gt;\n") != std::string::npos);
  // A title with "|" cannot break the dashboard table.
  CHECK(md.find("| Delays &lt;script&gt;alert('x')&lt;/script&gt; \"quoted\" \\]\\]&gt; &amp; "
                "&lt;b&gt;bold&lt;/b&gt; **(off target, deteriorating)** |") != std::string::npos);
}

TEST_CASE("hostile titles and commentary are data in the JSON report", "[report][escape][json]") {
  std::string json = Hostile().render(DocumentFormat::kJson);
  CHECK(json.find("\"title\": \"Delays <script>alert('x')<\\/script> \\\"quoted\\\" ]]> & <b>bold<\\/b>\"") !=
        std::string::npos);
  CHECK(json.find("\"actions\": \"- ok\\n- <\\/li><\\/ul><script>x()<\\/script>\\n1. ]]>\"") != std::string::npos);
}
