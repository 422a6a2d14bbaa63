// SPDX-License-Identifier: Apache-2.0
#include "report/template_engine.hpp"

#include "common/ascii_text.hpp"

#include <algorithm>

namespace vitals::detail {

// ---------------------------------------------------------------------------
// Values

TemplateValue TemplateValue::text(std::string s) {
  TemplateValue v;
  v.kind_ = Kind::kText;
  v.text_ = std::move(s);
  return v;
}

TemplateValue TemplateValue::markup(std::string s) {
  TemplateValue v;
  v.kind_ = Kind::kMarkup;
  v.text_ = std::move(s);
  return v;
}

TemplateValue TemplateValue::boolean(bool b) {
  TemplateValue v;
  v.kind_ = Kind::kBool;
  v.flag_ = b;
  return v;
}

TemplateValue TemplateValue::list() {
  TemplateValue v;
  v.kind_ = Kind::kList;
  return v;
}

TemplateValue TemplateValue::object() {
  TemplateValue v;
  v.kind_ = Kind::kObject;
  return v;
}

TemplateValue& TemplateValue::set(std::string_view name, TemplateValue value) {
  for (auto& [key, field] : fields_) {
    if (key == name) {
      field = std::move(value);
      return *this;
    }
  }
  fields_.emplace_back(std::string(name), std::move(value));
  return *this;
}

TemplateValue& TemplateValue::push(TemplateValue value) {
  items_.push_back(std::move(value));
  return items_.back();
}

const TemplateValue* TemplateValue::find(std::string_view name) const {
  for (const auto& [key, field] : fields_) {
    if (key == name) return &field;
  }
  return nullptr;
}

bool TemplateValue::truthy() const {
  switch (kind_) {
    case Kind::kNull: return false;
    case Kind::kBool: return flag_;
    case Kind::kText:
    case Kind::kMarkup: return !text_.empty();
    case Kind::kList: return !items_.empty();
    case Kind::kObject: return true;
  }
  return false;
}

// ---------------------------------------------------------------------------
// Parsing

enum class NodeKind { kRoot, kText, kVariable, kMarkup, kSection, kInverted, kPartial };

struct TemplateNode {
  NodeKind kind = NodeKind::kText;
  std::string text;  // literal text, or the tag's name
  int line = 0;
  int column = 0;
  std::vector<std::unique_ptr<TemplateNode>> children;
};

Template::Template(Template&&) noexcept = default;
Template& Template::operator=(Template&&) noexcept = default;
Template::~Template() = default;

namespace {

enum class TokenKind { kText, kVariable, kMarkup, kOpen, kInverted, kClose, kPartial, kComment };

struct Token {
  TokenKind kind = TokenKind::kText;
  std::string text;
  int line = 0;
  int column = 0;
  bool ends_line = false;  // a text token that ends with '\n'
};

struct SyntaxError {
  std::string code;
  std::string message;
  int line;
  int column;
};

bool valid_name(std::string_view name) {
  if (name.empty()) return false;
  if (name == ".") return true;
  if (name.front() == '.' || name.back() == '.' || name.find("..") != std::string_view::npos) {
    return false;
  }
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.';
  });
}

std::string position(int line, int column) {
  return std::to_string(line) + ":" + std::to_string(column);
}

// Splits the template into text (broken after each line break) and tags.
std::vector<Token> tokenize(std::string_view text) {
  std::vector<Token> tokens;
  int line = 1;
  int column = 1;
  std::size_t i = 0;
  auto advance = [&](std::size_t to) {
    for (; i < to; ++i) {
      if (text[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
  };
  while (i < text.size()) {
    std::size_t open = text.find("{{", i);
    std::size_t text_end = open == std::string_view::npos ? text.size() : open;
    while (i < text_end) {
      std::size_t nl = text.find('\n', i);
      std::size_t piece_end = (nl == std::string_view::npos || nl >= text_end) ? text_end : nl + 1;
      Token t;
      t.kind = TokenKind::kText;
      t.text = std::string(text.substr(i, piece_end - i));
      t.line = line;
      t.column = column;
      t.ends_line = !t.text.empty() && t.text.back() == '\n';
      tokens.push_back(std::move(t));
      advance(piece_end);
    }
    if (open == std::string_view::npos) break;

    const int tag_line = line;
    const int tag_column = column;
    const bool triple = open + 2 < text.size() && text[open + 2] == '{';
    const std::string_view closer = triple ? "}}}" : "}}";
    const std::size_t body_start = open + (triple ? 3 : 2);
    const std::size_t close = text.find(closer, body_start);
    const bool comment = !triple && body_start < text.size() && text[body_start] == '!';
    std::size_t line_end = text.find('\n', body_start);
    if (close == std::string_view::npos || (!comment && line_end != std::string_view::npos && line_end < close)) {
      throw SyntaxError{"template.unclosed_tag",
                        std::string("tag opened with '") + (triple ? "{{{" : "{{") + "' at " +
                            position(tag_line, tag_column) + " is not closed with '" + std::string(closer) +
                            "'" + (comment || close == std::string_view::npos ? "" : " on the same line"),
                        tag_line, tag_column};
    }
    std::string_view body = text.substr(body_start, close - body_start);
    Token t;
    t.line = tag_line;
    t.column = tag_column;
    if (triple) {
      t.kind = TokenKind::kMarkup;
      body = trim_blanks(body);
    } else {
      char sigil = body.empty() ? '\0' : body.front();
      switch (sigil) {
        case '#': t.kind = TokenKind::kOpen; break;
        case '^': t.kind = TokenKind::kInverted; break;
        case '/': t.kind = TokenKind::kClose; break;
        case '>': t.kind = TokenKind::kPartial; break;
        case '!': t.kind = TokenKind::kComment; break;
        case '&': t.kind = TokenKind::kMarkup; break;
        case '=':
          throw SyntaxError{"template.bad_tag", "changing the tag delimiters ({{=...=}}) is not supported",
                            tag_line, tag_column};
        case '{':
          throw SyntaxError{"template.bad_tag", "'{{{' must be closed with '}}}'", tag_line, tag_column};
        default: t.kind = TokenKind::kVariable;
      }
      if (t.kind != TokenKind::kVariable) body.remove_prefix(1);
      if (t.kind != TokenKind::kComment) body = trim_blanks(body);
    }
    if (t.kind != TokenKind::kComment) {
      if (!valid_name(body)) {
        throw SyntaxError{"template.bad_tag",
                          body.empty() ? std::string("tag has no name")
                                       : "'" + std::string(body) +
                                             "' is not a valid name: use letters, digits, '_', '-' and '.'",
                          tag_line, tag_column};
      }
      t.text = std::string(body);
    }
    tokens.push_back(std::move(t));
    advance(close + closer.size());
  }
  return tokens;
}

bool standalone_kind(TokenKind k) {
  return k == TokenKind::kOpen || k == TokenKind::kInverted || k == TokenKind::kClose ||
         k == TokenKind::kPartial || k == TokenKind::kComment;
}

bool blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; });
}

// A section, comment or partial tag alone on its line removes the line
// (its indentation and its line break), so templates can be laid out
// readably without leaving blank lines in the output.
void strip_standalone_lines(std::vector<Token>& tokens) {
  std::vector<bool> drop(tokens.size(), false);
  std::size_t start = 0;
  while (start < tokens.size()) {
    std::size_t end = start;
    while (end < tokens.size() && !(tokens[end].kind == TokenKind::kText && tokens[end].ends_line)) ++end;
    std::size_t last = std::min(end, tokens.size() - 1);  // inclusive
    int tags = 0;
    bool standalone = true;
    for (std::size_t k = start; k <= last; ++k) {
      if (tokens[k].kind == TokenKind::kText) {
        standalone = standalone && blank(tokens[k].text);
      } else {
        ++tags;
        standalone = standalone && standalone_kind(tokens[k].kind);
      }
    }
    if (standalone && tags == 1) {
      for (std::size_t k = start; k <= last; ++k) {
        if (tokens[k].kind == TokenKind::kText) drop[k] = true;
      }
    }
    start = last + 1;
  }
  std::vector<Token> kept;
  kept.reserve(tokens.size());
  for (std::size_t k = 0; k < tokens.size(); ++k) {
    if (!drop[k]) kept.push_back(std::move(tokens[k]));
  }
  tokens = std::move(kept);
}

std::unique_ptr<TemplateNode> build_tree(std::vector<Token>& tokens, int max_nesting) {
  auto root = std::make_unique<TemplateNode>();
  root->kind = NodeKind::kRoot;
  std::vector<TemplateNode*> stack = {root.get()};
  for (Token& t : tokens) {
    auto node = std::make_unique<TemplateNode>();
    node->line = t.line;
    node->column = t.column;
    node->text = std::move(t.text);
    switch (t.kind) {
      case TokenKind::kComment: continue;
      case TokenKind::kText:
        if (!stack.back()->children.empty() && stack.back()->children.back()->kind == NodeKind::kText) {
          stack.back()->children.back()->text += node->text;
          continue;
        }
        node->kind = NodeKind::kText;
        break;
      case TokenKind::kVariable: node->kind = NodeKind::kVariable; break;
      case TokenKind::kMarkup: node->kind = NodeKind::kMarkup; break;
      case TokenKind::kPartial: node->kind = NodeKind::kPartial; break;
      case TokenKind::kOpen:
      case TokenKind::kInverted: {
        if (static_cast<int>(stack.size()) > max_nesting) {
          throw SyntaxError{"template.too_deep",
                            "sections are nested more than " + std::to_string(max_nesting) + " deep",
                            t.line, t.column};
        }
        node->kind = t.kind == TokenKind::kOpen ? NodeKind::kSection : NodeKind::kInverted;
        TemplateNode* raw = node.get();
        stack.back()->children.push_back(std::move(node));
        stack.push_back(raw);
        continue;
      }
      case TokenKind::kClose: {
        if (stack.size() == 1) {
          throw SyntaxError{"template.unexpected_close",
                            "'{{/" + node->text + "}}' closes no section", t.line, t.column};
        }
        TemplateNode* open = stack.back();
        if (open->text != node->text) {
          throw SyntaxError{"template.unexpected_close",
                            "'{{/" + node->text + "}}' does not match '{{" +
                                (open->kind == NodeKind::kSection ? "#" : "^") + open->text +
                                "}}' opened at " + position(open->line, open->column),
                            t.line, t.column};
        }
        stack.pop_back();
        continue;
      }
    }
    stack.back()->children.push_back(std::move(node));
  }
  if (stack.size() > 1) {
    TemplateNode* open = stack.back();
    throw SyntaxError{"template.unclosed_section",
                      "section '{{" + std::string(open->kind == NodeKind::kSection ? "#" : "^") + open->text +
                          "}}' is never closed with '{{/" + open->text + "}}'",
                      open->line, open->column};
  }
  return root;
}

void collect_partials(const TemplateNode& node, std::vector<Template::PartialRef>& out) {
  if (node.kind == NodeKind::kPartial) out.push_back(Template::PartialRef{node.text, node.line, node.column});
  for (const auto& child : node.children) collect_partials(*child, out);
}

Diagnostic template_diagnostic(std::string code, std::string message, SourceLocation where) {
  return Diagnostic::make(Severity::kError, std::move(code), std::move(message), std::move(where));
}

}  // namespace

std::optional<Template> Template::parse(std::string file, std::string_view text,
                                        const TemplateLimits& limits,
                                        std::vector<Diagnostic>& diagnostics) {
  if (text.size() > limits.max_template_bytes) {
    diagnostics.push_back(template_diagnostic(
        "template.too_large",
        "template is " + std::to_string(text.size()) + " bytes; the limit is " +
            std::to_string(limits.max_template_bytes),
        SourceLocation{file, 0, 0}));
    return std::nullopt;
  }
  try {
    std::vector<Token> tokens = tokenize(text);
    strip_standalone_lines(tokens);
    Template t;
    t.root_ = build_tree(tokens, limits.max_nesting);
    t.file_ = std::move(file);
    return t;
  } catch (const SyntaxError& e) {
    diagnostics.push_back(template_diagnostic(e.code, e.message, SourceLocation{file, e.line, e.column}));
    return std::nullopt;
  }
}

std::vector<Template::PartialRef> Template::partials() const {
  std::vector<PartialRef> refs;
  if (root_) collect_partials(*root_, refs);
  return refs;
}

std::string partial_file_name(std::string_view name, std::string_view from) {
  if (name.find('.') != std::string_view::npos) return std::string(name);
  std::size_t dot = from.rfind('.');
  return std::string(name) + (dot == std::string_view::npos ? "" : std::string(from.substr(dot)));
}

// ---------------------------------------------------------------------------
// Rendering

namespace {

struct RenderError {
  Diagnostic diagnostic;
};

class Renderer {
 public:
  Renderer(const TemplateSet& set, Escaper escape, const TemplateLimits& limits)
      : set_(set), escape_(escape), limits_(limits) {}

  void render_template(const std::string& name, const Template& t) {
    frames_.push_back(Frame{name, &t});
    render_children(t.root());
    frames_.pop_back();
  }

  void push_context(const TemplateValue* v) { context_.push_back(v); }
  std::string take() { return std::move(out_); }

  void fail(const TemplateNode& node, std::string code, std::string message) {
    throw RenderError{template_diagnostic(std::move(code), std::move(message),
                                          SourceLocation{frames_.back().tmpl->file(), node.line, node.column})};
  }

 private:
  struct Frame {
    std::string name;  // the template's name in the set, for partial extensions
    const Template* tmpl;
  };

  void step(const TemplateNode& node) {
    if (++steps_ > limits_.max_steps) {
      fail(node, "template.step_limit",
           "rendering took more than " + std::to_string(limits_.max_steps) +
               " steps; look for sections nested over long lists");
    }
  }

  void write(const TemplateNode& node, std::string_view text) {
    if (out_.size() + text.size() > limits_.max_output_bytes) {
      fail(node, "template.output_limit",
           "the output would exceed " + std::to_string(limits_.max_output_bytes) + " bytes");
    }
    out_ += text;
  }

  const TemplateValue* lookup(const TemplateNode& node) {
    const std::string& name = node.text;
    if (name == ".") return context_.back();
    std::string_view rest = name;
    std::size_t dot = rest.find('.');
    std::string_view first = rest.substr(0, dot);
    const TemplateValue* value = nullptr;
    for (auto it = context_.rbegin(); it != context_.rend() && value == nullptr; ++it) {
      if ((*it)->kind() == TemplateValue::Kind::kObject) value = (*it)->find(first);
    }
    if (value == nullptr) fail(node, "template.unknown_name", "unknown name '" + std::string(first) + "'");
    std::string walked(first);
    while (dot != std::string_view::npos) {
      rest.remove_prefix(dot + 1);
      dot = rest.find('.');
      std::string_view part = rest.substr(0, dot);
      const TemplateValue* next =
          value->kind() == TemplateValue::Kind::kObject ? value->find(part) : nullptr;
      if (next == nullptr) {
        fail(node, "template.unknown_name", "'" + walked + "' has no field '" + std::string(part) + "'");
      }
      walked += "." + std::string(part);
      value = next;
    }
    return value;
  }

  void render_children(const TemplateNode& node) {
    for (const auto& child : node.children) render_node(*child);
  }

  void render_node(const TemplateNode& node) {
    step(node);
    switch (node.kind) {
      case NodeKind::kRoot: render_children(node); return;
      case NodeKind::kText: write(node, node.text); return;
      case NodeKind::kVariable: {
        const TemplateValue* v = lookup(node);
        switch (v->kind()) {
          case TemplateValue::Kind::kNull: return;
          case TemplateValue::Kind::kBool: write(node, v->flag() ? "true" : "false"); return;
          case TemplateValue::Kind::kText:
          case TemplateValue::Kind::kMarkup: write(node, escape_(v->str())); return;
          case TemplateValue::Kind::kList:
          case TemplateValue::Kind::kObject:
            fail(node, "template.not_text",
                 "'" + node.text + "' is a " +
                     (v->kind() == TemplateValue::Kind::kList ? "list" : "group of fields") +
                     ", not text: use it as a section, {{#" + node.text + "}}...{{/" + node.text + "}}");
        }
        return;
      }
      case NodeKind::kMarkup: {
        const TemplateValue* v = lookup(node);
        if (v->kind() == TemplateValue::Kind::kNull) return;
        if (v->kind() != TemplateValue::Kind::kMarkup) {
          fail(node, "template.untrusted_raw",
               "'{{{" + node.text + "}}}' would insert '" + node.text +
                   "' unescaped, but only markup Vitals makes (such as charts) may be: write {{" +
                   node.text + "}}");
        }
        write(node, v->str());
        return;
      }
      case NodeKind::kSection: {
        const TemplateValue* v = lookup(node);
        if (!v->truthy()) return;
        if (v->kind() == TemplateValue::Kind::kList) {
          for (const TemplateValue& item : v->items()) {
            step(node);
            context_.push_back(&item);
            render_children(node);
            context_.pop_back();
          }
        } else {
          context_.push_back(v);
          render_children(node);
          context_.pop_back();
        }
        return;
      }
      case NodeKind::kInverted: {
        const TemplateValue* v = lookup(node);
        if (!v->truthy()) render_children(node);
        return;
      }
      case NodeKind::kPartial: {
        std::string file = partial_file_name(node.text, frames_.back().name);
        const Template* partial = set_.find(file);
        if (partial == nullptr) {
          fail(node, "template.unknown_partial", "no template '" + file + "' for '{{>" + node.text + "}}'");
        }
        if (static_cast<int>(frames_.size()) > limits_.max_partial_depth) {
          fail(node, "template.partial_depth",
               "partials are included more than " + std::to_string(limits_.max_partial_depth) +
                   " deep; does '" + file + "' include itself?");
        }
        render_template(file, *partial);
        return;
      }
    }
  }

  const TemplateSet& set_;
  Escaper escape_;
  const TemplateLimits& limits_;
  std::vector<const TemplateValue*> context_;
  std::vector<Frame> frames_;
  std::string out_;
  std::size_t steps_ = 0;
};

}  // namespace

bool TemplateSet::add(const std::string& name, std::string file, std::string_view text,
                      std::vector<Diagnostic>& diagnostics) {
  auto parsed = Template::parse(std::move(file), text, limits_, diagnostics);
  if (!parsed) return false;
  templates_.insert_or_assign(name, std::move(*parsed));
  return true;
}

std::vector<std::string> TemplateSet::names() const {
  std::vector<std::string> out;
  for (const auto& [name, t] : templates_) out.push_back(name);
  return out;
}

const Template* TemplateSet::find(const std::string& name) const {
  auto it = templates_.find(name);
  return it == templates_.end() ? nullptr : &it->second;
}

std::optional<std::string> TemplateSet::render(const std::string& name, const TemplateValue& root,
                                               Escaper escape, std::vector<Diagnostic>& diagnostics) const {
  auto it = templates_.find(name);
  if (it == templates_.end()) {
    diagnostics.push_back(template_diagnostic("template.missing", "no template '" + name + "'",
                                              SourceLocation{name, 0, 0}));
    return std::nullopt;
  }
  Renderer renderer(*this, escape, limits_);
  renderer.push_context(&root);
  try {
    renderer.render_template(it->first, it->second);
  } catch (const RenderError& e) {
    diagnostics.push_back(e.diagnostic);
    return std::nullopt;
  }
  return renderer.take();
}

}  // namespace vitals::detail
