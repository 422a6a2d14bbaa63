// SPDX-License-Identifier: Apache-2.0
#include "report/spc_chart.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <sstream>

#include "report/escape.hpp"
#include "report/presentation.hpp"
#include "report/svg_number.hpp"

namespace vitals::detail {

namespace {

// Making Data Count's colours (NHS orange, NHS blue, a mid grey), and the
// chart's ink for outlines and words.
constexpr const char* kConcern = "#ed8b00";
constexpr const char* kImprovement = "#005eb8";
constexpr const char* kCommon = "#7f8c94";
constexpr const char* kInk = "#0b0c0c";
constexpr const char* kLimit = "#505a5f";

bool listed(const std::string& periods, const std::string& key) {
  std::istringstream in(periods);
  std::string word;
  while (in >> word) {
    if (word == key) return true;
  }
  return false;
}

const double* number_of(const Evidence& e, std::string_view key) {
  auto it = e.find(key);
  return it == e.end() ? nullptr : std::get_if<double>(&it->second);
}

std::string text_of(const Evidence& e, std::string_view key) {
  auto it = e.find(key);
  if (it == e.end()) return "";
  const std::string* s = std::get_if<std::string>(&it->second);
  return s != nullptr ? *s : "";
}

// Whether the latest result's special cause is high (true) or low, from the
// variation and which way is better.
bool is_high(const SpcOverlay& spc, Polarity polarity) {
  const bool concern = spc.variation == "special_cause_concern";
  return (polarity == Polarity::kBiggerIsBetter) != concern;
}

std::string variation_words(const SpcOverlay& spc, Polarity polarity) {
  if (spc.variation == "special_cause_concern") {
    return std::string("Special cause concern (") + (is_high(spc, polarity) ? "high" : "low") + ")";
  }
  if (spc.variation == "special_cause_improvement") {
    return std::string("Special cause improvement (") + (is_high(spc, polarity) ? "high" : "low") + ")";
  }
  return "Common cause variation";
}

std::string assurance_words(const std::string& assurance) {
  if (assurance == "consistently_passing") return "Consistently passing the target";
  if (assurance == "consistently_failing") return "Consistently failing the target";
  if (assurance == "hit_or_miss") return "Hit or miss: the target may or may not be met";
  return "";
}

std::string svg_open(const std::string& id, const std::string& cls) {
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"" + cls +
         "\" viewBox=\"0 0 64 64\" width=\"64\" height=\"64\" role=\"img\" aria-labelledby=\"" + id + "-title " + id +
         "-desc\" font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif\">";
}

// Seven points of a small run chart inside the icon: level and grey for
// common cause; the last three rising or falling in the icon's colour.
std::string icon_run(const SpcOverlay& spc, Polarity polarity, const char* colour) {
  static constexpr std::array<double, 7> kCommonY = {36, 31, 38, 33, 37, 32, 35};
  static constexpr std::array<double, 7> kHighY = {40, 37, 41, 38, 33, 29, 25};
  const bool special = spc.variation != "common_cause";
  const bool high = is_high(spc, polarity);
  std::string path;
  std::string dots;
  for (std::size_t i = 0; i < 7; ++i) {
    const double x = 12 + static_cast<double>(i) * 6.7;
    double y = special ? kHighY[i] : kCommonY[i];
    if (special && !high) y = 68 - y;
    path += (i == 0 ? "M" : " L") + svg_number(x) + " " + svg_number(y);
    const bool marked = special && i >= 4;
    dots += "<circle cx=\"" + svg_number(x) + "\" cy=\"" + svg_number(y) + "\" r=\"2.6\" fill=\"" +
            std::string(marked ? colour : kCommon) + "\"/>";
  }
  return "<path d=\"" + path + "\" fill=\"none\" stroke=\"" + kCommon + "\" stroke-width=\"1.5\"/>" + dots;
}

}  // namespace

std::optional<SpcOverlay> spc_overlay(const std::vector<RuleOutcome>& outcomes) {
  for (const RuleOutcome& o : outcomes) {
    if (o.rule_id != "spc") continue;
    if (o.status != RuleOutcome::Status::kOk && o.status != RuleOutcome::Status::kException) return std::nullopt;
    const double* mean = number_of(o.evidence, "mean");
    const double* upper = number_of(o.evidence, "upper_limit");
    const double* lower = number_of(o.evidence, "lower_limit");
    if (mean == nullptr || upper == nullptr || lower == nullptr) return std::nullopt;
    SpcOverlay spc;
    spc.mean = *mean;
    spc.upper = *upper;
    spc.lower = *lower;
    spc.variation = text_of(o.evidence, "variation");
    spc.assurance = text_of(o.evidence, "assurance");
    auto trial = o.evidence.find("limits_are_trial");
    spc.trial = trial != o.evidence.end() && std::get_if<bool>(&trial->second) != nullptr &&
                std::get<bool>(trial->second);
    spc.rebased_at = text_of(o.evidence, "rebased_at");
    spc.concern_points = text_of(o.evidence, "concern_points");
    spc.improvement_points = text_of(o.evidence, "improvement_points");
    if (const double* t = number_of(o.evidence, "target")) spc.target = *t;
    return spc;
  }
  return std::nullopt;
}

SpcKind spc_point_kind(const SpcOverlay& spc, const Period& period) {
  const std::string key = period.to_string();
  if (!spc.rebased_at.empty() && key < spc.rebased_at) return SpcKind::kNotAnalysed;
  if (listed(spc.concern_points, key)) return SpcKind::kConcern;
  if (listed(spc.improvement_points, key)) return SpcKind::kImprovement;
  return SpcKind::kCommonCause;
}

const char* spc_kind_text(SpcKind kind) {
  switch (kind) {
    case SpcKind::kConcern: return "special cause concern";
    case SpcKind::kImprovement: return "special cause improvement";
    case SpcKind::kCommonCause: return "common cause";
    case SpcKind::kNotAnalysed: break;
  }
  return "before the rebase";
}

std::string spc_marker(SpcKind kind, double x, double y) {
  switch (kind) {
    case SpcKind::kConcern:
    case SpcKind::kImprovement:
      return "<circle cx=\"" + svg_number(x) + "\" cy=\"" + svg_number(y) + "\" r=\"6\" fill=\"" +
             (kind == SpcKind::kConcern ? kConcern : kImprovement) + "\" stroke=\"" + kInk +
             "\" stroke-width=\"1.5\"/>";
    case SpcKind::kCommonCause:
      return "<circle cx=\"" + svg_number(x) + "\" cy=\"" + svg_number(y) + "\" r=\"4.5\" fill=\"" + kCommon + "\"/>";
    case SpcKind::kNotAnalysed: break;
  }
  return "<circle cx=\"" + svg_number(x) + "\" cy=\"" + svg_number(y) + "\" r=\"4\" fill=\"#ffffff\" stroke=\"" + kCommon +
         "\" stroke-width=\"1.5\"/>";
}

std::string spc_lines_svg(const SpcOverlay& spc, double x_from, double x_to, double label_x, double top,
                          double bottom, const std::function<double(double)>& y, std::optional<double> target,
                          Unit unit, const std::optional<int>& decimals) {
  std::string s = "<g class=\"spc\">\n";
  auto line = [&](const char* cls, double v, const char* dash) {
    s += "<line class=\"" + std::string(cls) + "\" x1=\"" + svg_number(x_from) + "\" y1=\"" + svg_number(y(v)) + "\" x2=\"" +
         svg_number(x_to) + "\" y2=\"" + svg_number(y(v)) + "\" stroke=\"" + kLimit + "\" stroke-width=\"1.5\"" +
         (dash[0] != '\0' ? " stroke-dasharray=\"" + std::string(dash) + "\"" : std::string()) + "/>\n";
  };
  line("spc-upper", spc.upper, "4 3");
  line("spc-mean", spc.mean, "");
  line("spc-lower", spc.lower, "4 3");

  struct Label {
    double y;
    std::string text;
    const char* colour;
    bool bold;
  };
  std::vector<Label> labels = {
      {y(spc.upper) + 4, "Upper " + value_text(spc.upper, unit, decimals), kLimit, false},
      {y(spc.mean) + 4, "Mean " + value_text(spc.mean, unit, decimals), kLimit, false},
      {y(spc.lower) + 4, "Lower " + value_text(spc.lower, unit, decimals), kLimit, false},
  };
  if (target) labels.push_back({y(*target) + 4, "Target " + value_text(target, unit, decimals), kInk, true});
  std::stable_sort(labels.begin(), labels.end(), [](const Label& a, const Label& b) { return a.y < b.y; });
  // Spread the labels 14 units apart at least, inside [top, bottom]: push
  // down from the top, then back up from the bottom if the last one fell out.
  constexpr double kGap = 14;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    double least = i == 0 ? top + 10 : labels[i - 1].y + kGap;
    labels[i].y = std::max(labels[i].y, least);
  }
  for (std::size_t i = labels.size(); i-- > 0;) {
    double most = i + 1 == labels.size() ? bottom + 4 : labels[i + 1].y - kGap;
    labels[i].y = std::min(labels[i].y, most);
  }
  for (const Label& l : labels) {
    s += "<text x=\"" + svg_number(label_x) + "\" y=\"" + svg_number(l.y) + "\" fill=\"" + l.colour + "\"" +
         (l.bold ? " font-weight=\"700\"" : "") + ">" + html_escape(l.text) + "</text>\n";
  }
  s += "</g>\n";
  return s;
}

std::string spc_legend_svg(const SpcOverlay& spc, double x, double y, bool any_target) {
  const double row1 = y - 20;
  std::string s = "<g class=\"legend\" aria-hidden=\"true\">\n";
  double lx = x;
  auto swatch = [&](const std::string& stroke, const std::string& width, const std::string& dash,
                    const std::string& label, double advance) {
    s += "<line x1=\"" + svg_number(lx) + "\" y1=\"" + svg_number(row1 - 4) + "\" x2=\"" + svg_number(lx + 24) + "\" y2=\"" +
         svg_number(row1 - 4) + "\" stroke=\"" + stroke + "\" stroke-width=\"" + width + "\"" +
         (dash.empty() ? "" : " stroke-dasharray=\"" + dash + "\"") + "/><text x=\"" + svg_number(lx + 30) + "\" y=\"" +
         svg_number(row1) + "\" fill=\"" + kInk + "\">" + label + "</text>\n";
    lx += advance;
  };
  swatch("#1d4f91", "2.5", "", "Result", 90);
  if (any_target) swatch(kInk, "2", "7 4", "Target", 90);
  swatch(kLimit, "1.5", "", "Mean", 80);
  swatch(kLimit, "1.5", "4 3", spc.trial ? "Trial process limits" : "Process limits", 160);
  lx = x;
  const std::array<std::pair<SpcKind, const char*>, 3> kinds = {
      {{SpcKind::kCommonCause, "Common cause"},
       {SpcKind::kConcern, "Special cause concern"},
       {SpcKind::kImprovement, "Special cause improvement"}}};
  const std::array<double, 3> advance = {120, 170, 0};
  for (std::size_t i = 0; i < kinds.size(); ++i) {
    s += spc_marker(kinds[i].first, lx + 6, y - 4) + "<text x=\"" + svg_number(lx + 18) + "\" y=\"" + svg_number(y) +
         "\" fill=\"" + kInk + "\">" + kinds[i].second + "</text>\n";
    lx += advance[i];
  }
  s += "</g>\n";
  return s;
}

std::string spc_description(const SpcOverlay& spc, const std::vector<SeriesPoint>& points, Polarity polarity,
                            Unit unit, const std::optional<int>& decimals) {
  std::string out = " Statistical process control: mean " + value_text(spc.mean, unit, decimals) + ", process limits " +
                    value_text(spc.lower, unit, decimals) + " to " + value_text(spc.upper, unit, decimals) +
                    (spc.trial ? " (trial limits)" : "") + ".";
  for (SpcKind kind : {SpcKind::kConcern, SpcKind::kImprovement}) {
    std::vector<std::string> marked;
    for (const SeriesPoint& p : points) {
      if (p.value && spc_point_kind(spc, p.period) == kind) marked.push_back(p.period.label());
    }
    if (marked.empty()) continue;
    std::string name = spc_kind_text(kind);
    name[0] = static_cast<char>(name[0] - 'a' + 'A');
    out += " " + name + ": ";
    for (std::size_t i = 0; i < marked.size(); ++i) {
      out += (i == 0 ? "" : i + 1 == marked.size() ? " and " : ", ") + marked[i];
    }
    out += ".";
  }
  std::string latest = variation_words(spc, polarity);
  latest[0] = static_cast<char>(latest[0] - 'A' + 'a');
  out += " The latest result is " + latest;
  const std::string assurance = assurance_words(spc.assurance);
  if (!assurance.empty()) {
    std::string lowered = assurance;
    lowered[0] = static_cast<char>(lowered[0] - 'A' + 'a');
    out += "; " + lowered;
  }
  out += ".";
  return out;
}

std::string spc_icons_html(const SpcOverlay& spc, const std::string& id, Polarity polarity, Unit unit,
                           const std::optional<int>& decimals) {
  const bool concern = spc.variation == "special_cause_concern";
  const bool improvement = spc.variation == "special_cause_improvement";
  const char* colour = concern ? kConcern : improvement ? kImprovement : kCommon;
  const std::string vid = "spc-" + id + "-variation";
  const std::string words = variation_words(spc, polarity);
  std::string meaning;
  if (concern || improvement) {
    meaning = std::string("The latest result is a signal that the process has changed, ") +
              (is_high(spc, polarity) ? "upwards" : "downwards") + ", which is " +
              (concern ? "the wrong direction" : "the right direction") + " for this indicator (" +
              (polarity == Polarity::kBiggerIsBetter ? "bigger" : "smaller") + " is better).";
  } else {
    meaning = "The latest result is within the usual ups and downs: no signal that the process has changed.";
  }
  std::string s = "<div class=\"spc-icon\">";
  s += svg_open(vid, "spc-icon-variation");
  s += "<title id=\"" + vid + "-title\">Variation: " + html_escape(words) + "</title>";
  s += "<desc id=\"" + vid + "-desc\">" + html_escape(meaning) + "</desc>";
  s += "<circle cx=\"32\" cy=\"32\" r=\"29\" fill=\"#ffffff\" stroke=\"" + std::string(colour) +
       "\" stroke-width=\"4\"/>";
  s += icon_run(spc, polarity, colour);
  if (concern || improvement) {
    const bool high = is_high(spc, polarity);
    s += "<text x=\"32\" y=\"" + std::string(high ? "21" : "56") + "\" text-anchor=\"middle\" font-size=\"16\" "
         "font-weight=\"700\" fill=\"" + colour + "\">" + (high ? "H" : "L") + "</text>";
  }
  s += "</svg><p aria-hidden=\"true\">" + html_escape(words) + "</p></div>";

  if (spc.assurance == "none" || spc.assurance.empty()) return s;
  const bool passing = spc.assurance == "consistently_passing";
  const bool failing = spc.assurance == "consistently_failing";
  const char* a_colour = passing ? kImprovement : failing ? kConcern : kCommon;
  const std::string aid = "spc-" + id + "-assurance";
  std::string target = spc.target ? value_text(spc.target, unit, decimals) : "";
  std::string a_meaning;
  if (passing || failing) {
    a_meaning = "The target " + target + " is outside the process limits (" + value_text(spc.lower, unit, decimals) +
                " to " + value_text(spc.upper, unit, decimals) + "), so unless the process changes it will " +
                (passing ? "meet" : "miss") + " the target every time.";
  } else {
    a_meaning = "The target " + target + " is within the process limits (" + value_text(spc.lower, unit, decimals) +
                " to " + value_text(spc.upper, unit, decimals) + "), so the process will meet it some periods and miss it "
                "in others.";
  }
  s += "<div class=\"spc-icon\">";
  s += svg_open(aid, "spc-icon-assurance");
  s += "<title id=\"" + aid + "-title\">Assurance: " + html_escape(assurance_words(spc.assurance)) + "</title>";
  s += "<desc id=\"" + aid + "-desc\">" + html_escape(a_meaning) + "</desc>";
  s += "<circle cx=\"32\" cy=\"32\" r=\"29\" fill=\"#ffffff\" stroke=\"" + std::string(a_colour) +
       "\" stroke-width=\"4\"/>";
  s += "<line x1=\"9\" y1=\"44\" x2=\"55\" y2=\"44\" stroke=\"" + std::string(kInk) +
       "\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\"/>";
  s += "<text x=\"32\" y=\"37\" text-anchor=\"middle\" font-size=\"24\" font-weight=\"700\" fill=\"" +
       std::string(a_colour) + "\">" + (passing ? "P" : failing ? "F" : "?") + "</text>";
  std::string caption = passing ? "Consistently passing" : failing ? "Consistently failing" : "Hit or miss";
  s += "</svg><p aria-hidden=\"true\">" + caption + "</p></div>";
  return s;
}

}  // namespace vitals::detail
