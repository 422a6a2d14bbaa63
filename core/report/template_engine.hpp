// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <vitals/diagnostic.hpp>
#include <vitals/source_location.hpp>

namespace vitals::detail {

/// The data a template renders: text, trusted markup, a flag, a list or an
/// object (fields in insertion order, looked up by name).
/// Text is always escaped on output; only kMarkup, made by the renderers
/// themselves (the SVG chart), may be written unescaped with {{{name}}}.
class TemplateValue {
 public:
  enum class Kind { kNull, kBool, kText, kMarkup, kList, kObject };

  TemplateValue() = default;
  static TemplateValue text(std::string s);
  static TemplateValue markup(std::string s);
  static TemplateValue boolean(bool b);
  static TemplateValue list();
  static TemplateValue object();

  Kind kind() const { return kind_; }
  bool flag() const { return flag_; }
  const std::string& str() const { return text_; }
  const std::vector<TemplateValue>& items() const { return items_; }

  /// REQUIRES: kind() == kObject. Sets (or replaces) field `name`.
  TemplateValue& set(std::string_view name, TemplateValue value);
  TemplateValue& set(std::string_view name, std::string value) {
    return set(name, TemplateValue::text(std::move(value)));
  }
  TemplateValue& set(std::string_view name, const char* value) {
    return set(name, TemplateValue::text(value));
  }
  TemplateValue& set(std::string_view name, bool value) {
    return set(name, TemplateValue::boolean(value));
  }
  /// REQUIRES: kind() == kList. Appends and returns the new element.
  TemplateValue& push(TemplateValue value);

  /// The field `name` of an object, or nullptr.
  const TemplateValue* find(std::string_view name) const;
  /// Mustache truthiness: false for null, false, "", and empty lists.
  bool truthy() const;

 private:
  Kind kind_ = Kind::kNull;
  bool flag_ = false;
  std::string text_;
  std::vector<TemplateValue> items_;
  std::vector<std::pair<std::string, TemplateValue>> fields_;
};

/// Limits that keep a hostile or broken template from exhausting the machine.
struct TemplateLimits {
  std::size_t max_template_bytes = 256 * 1024;
  int max_nesting = 32;        // sections within sections, in one template
  int max_partial_depth = 16;  // partials within partials, when rendering
  std::size_t max_output_bytes = 32 * 1024 * 1024;
  std::size_t max_steps = 5'000'000;  // nodes visited, list items included
};

/// How {{name}} escapes text for the document being written.
using Escaper = std::string (*)(std::string_view);

struct TemplateNode;

/// A parsed template: a Mustache subset.
///   {{name}} {{a.b}} {{.}}   text, escaped for the document's format
///   {{{name}}}               trusted markup made by Vitals (an error on text)
///   {{#name}}...{{/name}}    a list: once per item; an object: once, inside it;
///                            true or non-empty text: once
///   {{^name}}...{{/name}}    once when name is false, empty or null
///   {{>partial}}             another template of the set; "card" means
///                            "card.<this template's extension>"
///   {{! comment }}
/// A tag alone on its line (sections, comments, partials) takes the line with
/// it. Names are letters, digits, "_", "-" and dots. Unknown names are errors,
/// so typos show.
class Template {
 public:
  /// Parses `text`, reported as `file` in diagnostics. On a syntax error
  /// appends one located Diagnostic ("template.*") and returns nullopt.
  static std::optional<Template> parse(std::string file, std::string_view text,
                                       const TemplateLimits& limits,
                                       std::vector<Diagnostic>& diagnostics);

  const std::string& file() const { return file_; }
  /// A {{>partial}} tag: the name as written and where.
  struct PartialRef {
    std::string name;
    int line = 0;
    int column = 0;
  };
  /// Every partial tag, in the order written.
  std::vector<PartialRef> partials() const;
  const TemplateNode& root() const { return *root_; }

  Template(Template&&) noexcept;
  Template& operator=(Template&&) noexcept;
  ~Template();

 private:
  friend class TemplateSet;
  Template() = default;
  std::string file_;
  std::unique_ptr<TemplateNode> root_;
};

/// Templates by file name ("card.html"), rendered together so partials resolve.
/// Thread safety: const methods may be called concurrently.
class TemplateSet {
 public:
  explicit TemplateSet(TemplateLimits limits = {}) : limits_(limits) {}

  /// Parses `text` as template `name` (a file name such as "card.html"),
  /// reported as `file`, replacing any template of that name. Returns false
  /// and appends a Diagnostic on a syntax error or an oversized template (the
  /// set is then unchanged).
  bool add(const std::string& name, std::string file, std::string_view text,
           std::vector<Diagnostic>& diagnostics);

  bool contains(const std::string& name) const { return templates_.count(name) != 0; }
  /// The template names, sorted.
  std::vector<std::string> names() const;
  const Template* find(const std::string& name) const;

  /// Renders template `name` with `root` as the outermost context. On an
  /// error (unknown name or partial, a limit reached, text in {{{ }}})
  /// appends one located Diagnostic and returns nullopt.
  std::optional<std::string> render(const std::string& name, const TemplateValue& root,
                                    Escaper escape, std::vector<Diagnostic>& diagnostics) const;

  const TemplateLimits& limits() const { return limits_; }

 private:
  TemplateLimits limits_;
  std::map<std::string, Template> templates_;
};

/// The file name a partial reference in template `from` resolves to: `name`
/// itself when it has an extension, else name + the extension of `from`.
std::string partial_file_name(std::string_view name, std::string_view from);

}  // namespace vitals::detail
