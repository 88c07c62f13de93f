// "Did you mean" suggestions by edit distance.
#include "compiler/diagnostics/suggest.hpp"

#include <algorithm>
#include <cctype>

namespace rubric::compiler {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  auto lower = [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); };
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      std::size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + cost});
      diagonal = above;
    }
  }
  return row[b.size()];
}

namespace {

std::vector<std::string> words_of(std::string_view s) {
  std::vector<std::string> words;
  std::string w;
  for (char ch : s) {
    if (ch == ' ') {
      if (!w.empty()) words.push_back(w);
      w.clear();
    } else {
      w += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    }
  }
  if (!w.empty()) words.push_back(w);
  return words;
}

std::size_t shared_words(std::string_view a, std::string_view b) {
  auto wa = words_of(a), wb = words_of(b);
  return static_cast<std::size_t>(std::count_if(wa.begin(), wa.end(), [&](const std::string& w) {
    return std::find(wb.begin(), wb.end(), w) != wb.end();
  }));
}

}  // namespace

std::optional<std::string> closest_match(std::string_view word, const std::vector<std::string>& candidates) {
  // Long names (ACR display names) are compared in full; the bound keeps
  // short identifiers from matching anything at all.
  std::size_t limit = std::max<std::size_t>(1, word.size() / 3);
  std::optional<std::string> best;
  std::size_t best_distance = limit + 1;
  for (const auto& c : candidates) {
    // Cheap length filter before the quadratic distance.
    std::size_t gap = c.size() > word.size() ? c.size() - word.size() : word.size() - c.size();
    if (gap > limit) continue;
    std::size_t d = edit_distance(word, c);
    // On a tie, prefer the candidate sharing more whole words: "MRI lumbar
    // spine without contrast" means "without IV contrast", not "with IV contrast".
    if (d < best_distance || (d == best_distance && best && shared_words(word, c) > shared_words(word, *best))) {
      best_distance = d;
      best = c;
    }
  }
  return best;
}

}  // namespace rubric::compiler
