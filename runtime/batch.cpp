// Batch evaluation of NDJSON: fixed-size chunks in, one result line per input
// line out, in order. Per-variant JSON (variant, ratings, next steps) is
// serialised once, so a result line is mostly memcpy.
#include "runtime/batch.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <thread>

#include <unistd.h>
#include <cerrno>

#include "runtime/json_writer.hpp"
#include "runtime/program.hpp"

namespace rubric::runtime {

namespace {

std::string quoted(std::string_view s) {
  std::string out;
  append_json_string(out, s);
  return out;
}

}  // namespace

result_formatter::result_formatter(const graph& g) : g_(&g) {
  for (const fact& f : g.facts) fact_json_.push_back(quoted(f.id));
  for (const advisory& a : g.otherwise.advice) otherwise_json_.push_back(quoted(a.text));
  for (const variant& v : g.variants) {
    advice_json_.emplace_back();
    for (const advisory& a : v.advice) advice_json_.back().push_back(quoted(a.text));
    std::string s = "{\"id\":";
    append_json_string(s, v.id);
    s += ",\"title\":";
    append_json_string(s, v.title);
    s += "}";
    variant_json_.push_back(std::move(s));

    // One ratings array per patient group (adult, pediatric, unknown): "rrl" is
    // the level for the patient; when it is unknown whether the patient is a
    // child, null, with "adult_rrl" and "pediatric_rrl" beside it.
    auto rrl_label = [&](std::int32_t i, json_writer& r) {
      if (g.radiation_scale >= 0 && i >= 0) r.value(g.scales[g.radiation_scale].levels[i].label);
      else r.null();
    };
    for (truth group : {truth::no, truth::yes, truth::unknown}) {
      json_writer r;
      r.begin_array();
      for (const rating& ra : v.ratings) {
        const procedure& p = g.procedures[ra.procedure];
        const level& l = g.scales[g.rating_scale].levels[ra.level];
        r.begin_object().key("procedure").value(p.name).key("category").value(l.id).key("label").value(l.label).key("rrl");
        if (group == truth::unknown) {
          r.null().key("adult_rrl");
          rrl_label(p.adult_rrl, r);
          r.key("pediatric_rrl");
          rrl_label(p.pediatric_rrl, r);
        } else {
          rrl_label(group == truth::yes ? p.pediatric_rrl : p.adult_rrl, r);
        }
        r.end_object();
      }
      r.end_array();
      ratings_json_[static_cast<std::size_t>(group)].push_back(r.take());
    }

    json_writer n;
    n.begin_array();
    for (const transition& t : v.next)
      n.begin_object().key("variant").value(g.variants[t.target].id).key("label").value(t.label).key("urgent").value(t.urgent).end_object();
    n.end_array();
    next_json_.push_back(n.take());
  }
}

namespace {

// The advice whose condition holds; `texts` are the same advice, pre-escaped.
void append_advice(const std::vector<advisory>& list, const std::vector<std::string>& texts, const evaluation& e,
                   std::string& out) {
  out += "\"advice\":[";
  bool any = false;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const advisory& a = list[i];
    if (a.when >= 0 && e.values[static_cast<std::size_t>(a.when)] != truth::yes) continue;
    if (any) out.push_back(',');
    out += texts[i];
    any = true;
  }
  out += "],";
}

}  // namespace

void result_formatter::write(const patient& p, const evaluation& e, std::string& out) const {
  const graph& g = *g_;
  const auto group = static_cast<std::size_t>(g.pediatric.node >= 0 ? e.values[static_cast<std::size_t>(g.pediatric.node)] : truth::no);
  out += "{\"id\":";
  out += p.id.empty() ? std::string_view("null") : std::string_view(p.id);
  out += ",\"status\":\"";
  out += status_name(e.result);
  out += "\",";
  if (g.policy == select_policy::all) {
    // Under `select all` every matched variant, each with its own ratings,
    // advice and next steps, replaces "variant", "ratings", "advice", "next".
    out += "\"variants\":[";
    for (std::size_t i = 0; e.result == status::matched && i < e.selected.size(); ++i) {
      std::uint32_t v = e.selected[i];
      out += i ? ",{\"variant\":" : "{\"variant\":";
      out += variant_json_[v];
      out += ",\"ratings\":";
      out += ratings_json_[group][v];
      out.push_back(',');
      append_advice(g.variants[v].advice, advice_json_[v], e, out);
      out += "\"next\":";
      out += next_json_[v];
      out.push_back('}');
    }
    out += "],";
    if (e.result == status::no_criteria_apply && g.otherwise.present) append_advice(g.otherwise.advice, otherwise_json_, e, out);
    else out += "\"advice\":[],";
  } else if (e.result == status::matched) {
    std::uint32_t v = e.selected.front();
    out += "\"variant\":";
    out += variant_json_[v];
    out += ",\"ratings\":";
    out += ratings_json_[group][v];
    out.push_back(',');
    append_advice(g.variants[v].advice, advice_json_[v], e, out);
    out += "\"next\":";
    out += next_json_[v];
    out.push_back(',');
  } else {
    out += "\"variant\":null,\"ratings\":[],";
    if (e.result == status::no_criteria_apply && g.otherwise.present) append_advice(g.otherwise.advice, otherwise_json_, e, out);
    else out += "\"advice\":[],";
    out += "\"next\":[],";
  }
  out += "\"missing\":[";
  for (std::size_t i = 0; i < e.missing.size(); ++i) {
    if (i) out.push_back(',');
    out += fact_json_[e.missing[i]];
  }
  out += "],\"candidates\":[";
  for (std::size_t i = 0; i < e.candidates.size(); ++i) {
    if (i) out.push_back(',');
    append_json_string(out, g.variants[e.candidates[i]].id);
  }
  out += "],\"otherwise\":";
  if (e.result == status::no_criteria_apply && g.otherwise.present) append_json_string(out, g.otherwise.label);
  else out += "null";
  out += ",\"warnings\":[";
  bool any = false;
  for (const auto& w : p.warnings) {
    if (any) out.push_back(',');
    append_json_string(out, w);
    any = true;
  }
  for (auto a : e.violated) {
    if (any) out.push_back(',');
    const assumption& as = g.assumptions[a];
    append_json_string(out, fmt::format("data quality: {} (`{}` does not hold)", as.label.empty() ? "assumption violated" : as.label, as.text));
    any = true;
  }
  for (auto c : e.conflicts) {
    if (any) out.push_back(',');
    append_json_string(out, fmt::format("variant {} also applies although the guideline selects a unique variant", g.variants[c].id));
    any = true;
  }
  out += "],\"error\":null}";
}

void result_formatter::write_error(std::string_view id, std::string_view message, std::string& out) const {
  out += "{\"id\":";
  out += id.empty() ? std::string_view("null") : id;
  out += g_->policy == select_policy::all ? std::string_view(",\"status\":\"error\",\"variants\":[],\"advice\":[],")
                                          : std::string_view(",\"status\":\"error\",\"variant\":null,\"ratings\":[],\"advice\":[],\"next\":[],");
  out += "\"missing\":[],\"candidates\":[],\"otherwise\":null,\"warnings\":[],\"error\":";
  append_json_string(out, message);
  out.push_back('}');
}

namespace {

constexpr std::size_t chunk_size = 1 << 22;       // bytes read at a time
constexpr std::size_t max_line = 16u << 20;        // longer lines are errors, skipped in constant memory

struct line_ref {
  std::size_t begin, size;  // into the buffer; size == npos: an over-long line
  std::uint64_t number;
};

// One worker's state: reused across chunks so nothing allocates per line.
struct worker {
  patient_decoder decoder;
  patient p;
  evaluation e;
  std::string error;
  std::string out;
  batch_stats stats;
  explicit worker(const graph& g) : decoder(g) {}
};

void process(const program& prog, const result_formatter& fmt_, worker& w, const std::string& buf, std::size_t buf_end,
             const line_ref* lines, std::size_t count) {
  for (std::size_t i = 0; i < count; ++i) {
    const line_ref& l = lines[i];
    ++w.stats.lines;
    if (l.size == std::string::npos) {
      ++w.stats.errors;
      fmt_.write_error({}, fmt::format("line {}: longer than {} MiB", l.number, max_line >> 20), w.out);
    } else {
      std::string_view text(buf.data() + l.begin, l.size);
      if (!w.decoder.decode(text, w.p, w.error, buf_end - l.begin)) {
        ++w.stats.errors;
        fmt_.write_error(w.p.id, fmt::format("line {}: {}", l.number, w.error), w.out);
      } else {
        evaluate(prog, w.p, w.e);
        switch (w.e.result) {
          case status::matched: ++w.stats.matched; break;
          case status::undetermined: ++w.stats.undetermined; break;
          case status::no_criteria_apply: ++w.stats.no_criteria; break;
        }
        fmt_.write(w.p, w.e, w.out);
      }
    }
    w.out.push_back('\n');
  }
}

class progress_bar {
 public:
  progress_bar(bool on, std::uint64_t total) : on_(on), total_(total), start_(clock::now()), last_(start_) {}
  void update(std::uint64_t lines, std::uint64_t bytes, bool final = false) {
    if (!on_) return;
    auto now = clock::now();
    if (!final && now - last_ < std::chrono::milliseconds(200)) return;
    last_ = now;
    double secs = std::chrono::duration<double>(now - start_).count();
    double rate = secs > 0 ? lines / secs : 0;
    std::string msg = fmt::format("\r  {} lines  {:.0f} lines/s", lines, rate);
    if (total_ > 0 && bytes <= total_) {
      double frac = double(bytes) / double(total_);
      double eta = frac > 0 ? secs / frac - secs : 0;
      msg += fmt::format("  {:3.0f}%  ETA {:.0f}s", frac * 100, eta);
    }
    msg += "   ";
    if (final) msg += "\n";
    std::fputs(msg.c_str(), stderr);
  }

 private:
  using clock = std::chrono::steady_clock;
  bool on_;
  std::uint64_t total_;
  clock::time_point start_, last_;
};

}  // namespace

batch_stats run_batch(const graph& g, std::FILE* in, std::FILE* out, const batch_options& options) {
  result_formatter formatter(g);
  program prog(g);
  unsigned threads = std::max(1u, options.threads);
  std::vector<std::unique_ptr<worker>> workers;
  for (unsigned t = 0; t < threads; ++t) workers.push_back(std::make_unique<worker>(g));
  batch_stats total;
  progress_bar bar(options.progress, options.total_bytes);

  // buf holds [carry-over of an incomplete line][new chunk][padding].
  const std::size_t pad = decode_padding();
  std::string buf;
  buf.reserve(chunk_size + pad);
  std::size_t have = 0;            // bytes of data in buf
  std::uint64_t line_no = 0, bytes_read = 0;
  bool skipping = false;           // inside an over-long line
  bool eof = false;
  std::vector<line_ref> lines;
  const int fd = fileno(in);

  while (!eof) {
    std::size_t room = std::max(chunk_size, have + (1u << 16));
    if (buf.size() < room + pad) buf.resize(room + pad);
    // read(2) returns what a pipe has now, so a streaming producer gets its
    // answers without waiting for a full chunk; FILEs without a descriptor
    // (fmemopen) use fread.
    std::size_t n = 0;
    if (fd >= 0) {
      ssize_t got;
      do got = ::read(fd, buf.data() + have, room - have);
      while (got < 0 && errno == EINTR);
      if (got < 0) { total.io_error = "cannot read the input"; break; }
      n = static_cast<std::size_t>(got);
      eof = got == 0;
    } else {
      n = std::fread(buf.data() + have, 1, room - have, in);
      if (n < room - have) {
        if (std::ferror(in)) { total.io_error = "cannot read the input"; break; }
        eof = true;
      }
    }
    bytes_read += n;
    have += n;
    std::memset(buf.data() + have, 0, pad);

    lines.clear();
    std::size_t pos = 0;
    while (pos < have) {
      const char* nl = static_cast<const char*>(std::memchr(buf.data() + pos, '\n', have - pos));
      if (!nl) break;
      std::size_t end = static_cast<std::size_t>(nl - buf.data());
      if (skipping) {
        skipping = false;  // the over-long line's error was already queued
      } else {
        std::size_t size = end - pos;
        if (size > 0 && buf[end - 1] == '\r') --size;
        lines.push_back({pos, size, ++line_no});
      }
      pos = end + 1;
    }
    if (eof && pos < have && !skipping) {
      std::size_t size = have - pos;
      if (buf[have - 1] == '\r') --size;
      lines.push_back({pos, size, ++line_no});
      pos = have;
    }
    std::size_t rest = have - pos;
    if (!eof && rest >= max_line) {
      // A line too long to hold: report it once and drop bytes until its end.
      if (!skipping) lines.push_back({0, std::string::npos, ++line_no});
      skipping = true;
      rest = 0;
      pos = have;
    }

    // Evaluate this chunk's lines, split across workers, and write in order.
    std::size_t count = lines.size();
    if (threads == 1 || count < 256) {
      process(prog, formatter, *workers[0], buf, have + pad, lines.data(), count);
    } else {
      std::vector<std::thread> pool;
      std::size_t per = (count + threads - 1) / threads;
      for (unsigned t = 0; t < threads; ++t) {
        std::size_t b = std::min(count, t * per), e = std::min(count, b + per);
        pool.emplace_back([&, t, b, e] { process(prog, formatter, *workers[t], buf, have + pad, lines.data() + b, e - b); });
      }
      for (auto& th : pool) th.join();
    }
    for (auto& w : workers) {
      if (!w->out.empty() && std::fwrite(w->out.data(), 1, w->out.size(), out) != w->out.size()) {
        total.io_error = "cannot write the output";
        eof = true;
      }
      w->out.clear();
    }
    if (fd >= 0) std::fflush(out);
    std::uint64_t done = 0;
    for (auto& w : workers) done += w->stats.lines;
    bar.update(done, bytes_read);

    // Keep the incomplete last line for the next chunk.
    if (rest > 0 && pos > 0) std::memmove(buf.data(), buf.data() + pos, rest);
    have = rest;
  }
  for (auto& w : workers) {
    total.lines += w->stats.lines;
    total.errors += w->stats.errors;
    total.matched += w->stats.matched;
    total.undetermined += w->stats.undetermined;
    total.no_criteria += w->stats.no_criteria;
  }
  bar.update(total.lines, bytes_read, true);
  std::fflush(out);
  return total;
}

}  // namespace rubric::runtime
