// Validation of a feedback body against the CDS Hooks 2.0 Feedback table:
// `card` (uuid) and `outcome` required; `acceptedSuggestions` only (and
// always) with "accepted"; `overrideReason` only with "overridden";
// `outcomeTimestamp` an ISO 8601 instant.
#include <regex>

#include <nlohmann/json.hpp>

#include "service/feedback/feedback.hpp"

namespace rubric::service {
namespace {

using json = nlohmann::json;
constexpr std::size_t max_entries = 100;

bool is_uuid(const std::string& text) {
  static const std::regex pattern("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
  return std::regex_match(text, pattern);
}

bool is_instant(const std::string& text) {
  static const std::regex pattern(
      "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)"
      "(\\.[0-9]{1,9})?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$");
  return std::regex_match(text, pattern);
}

std::string quoted(const json& value) { return value.dump(); }

std::optional<std::string> check_override_reason(const json& reason) {
  if (!reason.is_object()) return "`overrideReason` is not an object";
  if (const auto coding = reason.find("reason"); coding != reason.end()) {
    if (!coding->is_object() || !coding->contains("code") || !(*coding)["code"].is_string())
      return "`overrideReason.reason` is not a Coding with a `code`";
    if (coding->contains("system") && !(*coding)["system"].is_string())
      return "`overrideReason.reason.system` is not a string";
  }
  if (reason.contains("userComment") && !reason["userComment"].is_string())
    return "`overrideReason.userComment` is not a string";
  return std::nullopt;
}

std::variant<feedback_entry, std::string> parse_entry(const json& item) {
  if (!item.is_object()) return std::string("is not an object");
  feedback_entry entry;
  const auto card = item.find("card");
  if (card == item.end() || !card->is_string() || !is_uuid(card->get<std::string>()))
    return "`card` " + (card == item.end() ? std::string("is missing") : quoted(*card) + " is not a uuid");
  entry.card = card->get<std::string>();
  const auto outcome = item.find("outcome");
  if (outcome == item.end() || !outcome->is_string() ||
      (*outcome != "accepted" && *outcome != "overridden"))
    return "`outcome` " + (outcome == item.end() ? std::string("is missing")
                                                 : quoted(*outcome) + " is not \"accepted\" or \"overridden\"");
  entry.outcome = outcome->get<std::string>();
  const bool accepted = entry.outcome == "accepted";
  const auto suggestions = item.find("acceptedSuggestions");
  if (accepted != (suggestions != item.end()))
    return accepted ? std::string("`acceptedSuggestions` is required when `outcome` is \"accepted\"")
                    : std::string("`acceptedSuggestions` is only allowed when `outcome` is \"accepted\"");
  if (accepted) {
    if (!suggestions->is_array()) return std::string("`acceptedSuggestions` is not an array");
    for (const json& suggestion : *suggestions) {
      if (!suggestion.is_object() || !suggestion.contains("id") || !suggestion["id"].is_string())
        return "`acceptedSuggestions` entry " + quoted(suggestion) + " has no `id` string";
      entry.accepted_suggestions.push_back(suggestion["id"].get<std::string>());
    }
  }
  if (const auto reason = item.find("overrideReason"); reason != item.end()) {
    if (accepted) return std::string("`overrideReason` is only allowed when `outcome` is \"overridden\"");
    if (auto message = check_override_reason(*reason)) return *message;
    entry.override_reason = reason->dump();
  }
  const auto timestamp = item.find("outcomeTimestamp");
  if (timestamp == item.end() || !timestamp->is_string() || !is_instant(timestamp->get<std::string>()))
    return "`outcomeTimestamp` " + (timestamp == item.end() ? std::string("is missing")
                                                            : quoted(*timestamp) + " is not an ISO 8601 instant");
  entry.outcome_timestamp = timestamp->get<std::string>();
  return entry;
}

}  // namespace

std::variant<std::vector<feedback_entry>, feedback_error> parse_feedback(std::string_view body) {
  const json doc = json::parse(body, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return feedback_error{"the body is not a JSON object"};
  const auto list = doc.find("feedback");
  if (list == doc.end() || !list->is_array() || list->empty())
    return feedback_error{"`feedback` must be a non-empty array"};
  if (list->size() > max_entries)
    return feedback_error{"`feedback` has " + std::to_string(list->size()) + " entries; at most 100 per request"};
  std::vector<feedback_entry> entries;
  for (std::size_t i = 0; i < list->size(); ++i) {
    auto entry = parse_entry((*list)[i]);
    if (auto* message = std::get_if<std::string>(&entry))
      return feedback_error{"feedback[" + std::to_string(i) + "]: " + *message};
    entries.push_back(std::move(std::get<feedback_entry>(entry)));
  }
  return entries;
}

}  // namespace rubric::service
