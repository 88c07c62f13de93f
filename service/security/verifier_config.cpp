// Reading the verifier's JSON configuration; every mistake names the field.
#include "service/security/verifier_config.hpp"

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace rubric::service::security {
namespace {

using json = nlohmann::json;

std::optional<std::string> read_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::variant<issuer_policy, std::string> parse_issuer(const json& entry, const std::filesystem::path& base_dir) {
  if (!entry.is_object() || !entry.contains("iss") || !entry["iss"].is_string())
    return std::string("an issuer has no `iss` string");
  issuer_policy policy{entry["iss"].get<std::string>(), nullptr, {}};
  const std::string where = "issuer `" + policy.iss + "`: ";
  if (const auto file = entry.find("jwks_file"); file != entry.end()) {
    if (!file->is_string()) return where + "`jwks_file` is not a string";
    const std::filesystem::path path = base_dir / file->get<std::string>();
    const auto text = read_file(path);
    if (!text) return where + "cannot read `" + path.string() + "`";
    auto set = parse_jwk_set(*text);
    if (auto* message = std::get_if<std::string>(&set)) return where + path.string() + ": " + *message;
    policy.keys = std::make_shared<const jwk_set>(std::move(std::get<jwk_set>(set)));
  }
  if (const auto jku = entry.find("jku"); jku != entry.end()) {
    if (!jku->is_array()) return where + "`jku` is not an array of URLs";
    for (const json& url : *jku) {
      if (!url.is_string()) return where + "`jku` is not an array of URLs";
      policy.jku_allow.push_back(url.get<std::string>());
    }
  }
  if (!policy.keys && policy.jku_allow.empty()) return where + "neither `jwks_file` nor `jku` gives it keys";
  return policy;
}

template <typename Duration>
std::optional<std::string> read_seconds(const json& doc, const char* name, Duration& out) {
  const auto it = doc.find(name);
  if (it == doc.end()) return std::nullopt;
  if (!it->is_number_unsigned()) return "`" + std::string(name) + "` is not a non-negative integer";
  out = Duration(it->template get<std::int64_t>());
  return std::nullopt;
}

}  // namespace

std::variant<verifier_config, std::string> parse_verifier_config(std::string_view json_text,
                                                                 const std::filesystem::path& base_dir) {
  const json doc = json::parse(json_text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return std::string("the configuration is not a JSON object");
  verifier_config config;
  const auto issuers = doc.find("issuers");
  if (issuers == doc.end() || !issuers->is_array() || issuers->empty())
    return std::string("`issuers` must list at least one trusted issuer");
  for (const json& entry : *issuers) {
    auto policy = parse_issuer(entry, base_dir);
    if (auto* message = std::get_if<std::string>(&policy)) return *message;
    config.issuers.push_back(std::move(std::get<issuer_policy>(policy)));
  }
  for (auto [name, field] : {std::pair{"clock_skew_seconds", &config.clock_skew},
                             std::pair{"max_lifetime_seconds", &config.max_lifetime}})
    if (auto message = read_seconds(doc, name, *field)) return *message;
  if (const auto it = doc.find("replay_capacity"); it != doc.end()) {
    if (!it->is_number_unsigned() || it->get<std::size_t>() == 0) return std::string("`replay_capacity` is not a positive integer");
    config.replay_capacity = it->get<std::size_t>();
  }
  return config;
}

std::variant<verifier_config, std::string> load_verifier_config(const std::filesystem::path& file) {
  const auto text = read_file(file);
  if (!text) return "cannot read `" + file.string() + "`";
  auto config = parse_verifier_config(*text, file.parent_path());
  if (auto* message = std::get_if<std::string>(&config)) return file.string() + ": " + *message;
  return config;
}

}  // namespace rubric::service::security
