// Escaping text for HTML and for Graphviz's HTML-like labels: one function
// for the document renderer and the graph renderer.
#pragma once

#include <string>
#include <string_view>

namespace rubric::compiler {

inline std::string html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

}  // namespace rubric::compiler
