// SPDX-License-Identifier: Apache-2.0
// The report template engine on any template text (a council may override
// every template): parsed or refused with a located diagnostic; rendered within
// the limits, with text always escaped, partials included (a template may name
// itself).

#include "fuzz_support.hpp"
#include "report/escape.hpp"
#include "report/template_engine.hpp"

#include <cstdlib>
#include <vector>

namespace {

using vitals::detail::TemplateValue;

// A context with the shapes the renderers build: text (hostile), a flag, a
// list of objects, nested objects.
const TemplateValue& context() {
  static const TemplateValue root = [] {
    TemplateValue r = TemplateValue::object();
    r.set("title", "<script>alert(1)</script> & \"quotes\"");
    r.set("empty", "");
    r.set("flag", true);
    r.set("off", false);
    r.set("chart", TemplateValue::markup("<svg></svg>"));
    TemplateValue items = TemplateValue::list();
    for (int i = 0; i < 3; ++i) {
      TemplateValue item = TemplateValue::object();
      item.set("name", "item " + std::to_string(i));
      TemplateValue inner = TemplateValue::object();
      inner.set("value", std::to_string(i * 1.5));
      item.set("inner", std::move(inner));
      items.push(std::move(item));
    }
    r.set("items", std::move(items));
    return r;
  }();
  return root;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace vitals::detail;
  // Input: the main template, then optionally "\n----\n" and a partial "part.html".
  auto [main_text, partial_text] = vitals::fuzz::split_at(vitals::fuzz::as_text(data, size),
                                                          "\n----\n");
  TemplateLimits limits;
  limits.max_output_bytes = 1 << 20;
  limits.max_steps = 200'000;
  TemplateSet set(limits);
  std::vector<vitals::Diagnostic> diagnostics;
  bool parsed = set.add("main.html", "main.html", main_text, diagnostics);
  if (!parsed && diagnostics.empty()) std::abort();
  set.add("part.html", "part.html", partial_text, diagnostics);
  if (!parsed) return 0;
  for (Escaper escape : {&html_escape, &md_escape}) {
    diagnostics.clear();
    auto out = set.render("main.html", context(), escape, diagnostics);
    if (!out && diagnostics.empty()) std::abort();
    if (out && out->size() > limits.max_output_bytes) std::abort();
  }
  return 0;
}
