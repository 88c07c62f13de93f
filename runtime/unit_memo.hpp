// A one-entry memo of unit lookups for the batch fast path: a file of
// patients writes each fact's unit the same way on every line, so the last
// text and its unit usually answer the next lookup without parsing.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "runtime/units.hpp"

namespace rubric::runtime::units {

// The last unit text looked up and its unit (find_unit is pure, so a hit is
// the same answer): lines of one file write a fact's unit the same way. The
// batch fast path keeps one per fact; texts over 23 bytes are not kept.
class unit_memo {
 public:
  std::optional<unit> find(std::string_view text);

 private:
  std::array<char, 23> text_{};
  std::uint8_t size_ = 0xFF;  // 0xFF: empty
  std::optional<unit> unit_;
};

}  // namespace rubric::runtime::units
