// SPDX-License-Identifier: Apache-2.0
#include "xlsx_xml.hpp"

#include <vitals/plugin/sdk.hpp>

#include <expat.h>

#include <cstring>
#include <exception>
#include <limits>

namespace vitals::xlsx {

std::string_view local_name(const char* name) {
  std::string_view n(name);
  const std::size_t colon = n.rfind(':');
  return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

const char* attribute(const char** attributes, std::string_view name) {
  for (std::size_t i = 0; attributes[i] != nullptr; i += 2) {
    if (local_name(attributes[i]) == name) return attributes[i + 1];
  }
  return nullptr;
}

struct XmlStream::Impl {
  XML_Parser parser = nullptr;
  XmlHandler* handler = nullptr;
  std::exception_ptr failure;  // thrown by a handler; expat is C and cannot unwind
  bool doctype = false;

  static Impl& self(void* data) { return *static_cast<Impl*>(data); }

  void stop() { XML_StopParser(parser, XML_FALSE); }

  static void on_start(void* data, const char* name, const char** attributes) {
    Impl& s = self(data);
    if (s.failure) return;
    try {
      s.handler->start(local_name(name), attributes);
    } catch (...) {
      s.failure = std::current_exception();
      s.stop();
    }
  }
  static void on_end(void* data, const char* name) {
    Impl& s = self(data);
    if (s.failure) return;
    try {
      s.handler->end(local_name(name));
    } catch (...) {
      s.failure = std::current_exception();
      s.stop();
    }
  }
  static void on_text(void* data, const char* text, int len) {
    Impl& s = self(data);
    if (s.failure) return;
    try {
      s.handler->text(std::string_view(text, static_cast<std::size_t>(len)));
    } catch (...) {
      s.failure = std::current_exception();
      s.stop();
    }
  }
  static void on_doctype(void* data, const char*, const char*, const char*, int) {
    Impl& s = self(data);
    s.doctype = true;
    s.stop();
  }
  // Entity declarations only occur inside a DTD, refused above; stopping
  // here as well keeps that true whatever order expat reports them in.
  static void on_entity(void* data, const char*, int, const char*, int, const char*,
                        const char*, const char*, const char*) {
    Impl& s = self(data);
    s.doctype = true;
    s.stop();
  }
};

XmlStream::XmlStream(XmlHandler& handler) : impl_(std::make_unique<Impl>()) {
  impl_->handler = &handler;
  impl_->parser = XML_ParserCreate("UTF-8");
  if (impl_->parser == nullptr) throw std::bad_alloc();
  XML_SetUserData(impl_->parser, impl_.get());
  XML_SetElementHandler(impl_->parser, &Impl::on_start, &Impl::on_end);
  XML_SetCharacterDataHandler(impl_->parser, &Impl::on_text);
  XML_SetStartDoctypeDeclHandler(impl_->parser, &Impl::on_doctype);
  XML_SetEntityDeclHandler(impl_->parser, &Impl::on_entity);
  // Never fetch or parse an external DTD or entity.
  XML_SetParamEntityParsing(impl_->parser, XML_PARAM_ENTITY_PARSING_NEVER);
}

XmlStream::~XmlStream() {
  if (impl_->parser != nullptr) XML_ParserFree(impl_->parser);
}

void XmlStream::feed(const char* data, std::size_t size, bool last, const std::string& part) {
  while (true) {
    const std::size_t piece = std::min<std::size_t>(size, std::numeric_limits<int>::max() / 2);
    const bool final_piece = last && piece == size;
    const XML_Status status =
        XML_Parse(impl_->parser, data, static_cast<int>(piece), final_piece ? XML_TRUE : XML_FALSE);
    if (impl_->failure) std::rethrow_exception(impl_->failure);
    if (impl_->doctype) {
      throw plugin::DataError(part + " declares a document type (<!DOCTYPE>), which no part of "
                              "a workbook has; the file is refused");
    }
    if (status != XML_STATUS_OK) {
      throw plugin::DataError(
          part + " is not well-formed XML (line " +
          std::to_string(XML_GetCurrentLineNumber(impl_->parser)) + "): " +
          XML_ErrorString(XML_GetErrorCode(impl_->parser)));
    }
    data += piece;
    size -= piece;
    if (size == 0) return;
  }
}

}  // namespace vitals::xlsx
