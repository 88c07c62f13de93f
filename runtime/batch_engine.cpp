// The batch engine: input in 4 MiB chunks (two buffers, so reading the next
// chunk overlaps evaluating this one), cut into blocks of about 32 KiB at a
// line end (only the bytes at the cut are searched: the input is read once,
// by the decoder, which counts the lines); each block is decoded (fast path, then the full decoder for the rest),
// evaluated 64 patients at a time by the bit-sliced evaluator (the reference
// evaluator only for lines that need candidates, missing facts or warnings),
// and written as lines from per-variant JSON. With threads, workers fill a
// ring of block outputs that the writer drains in input order; a worker never
// runs more than the ring ahead of the writer. Error lines name their line
// number, known only in input order: they are written into a block's output
// when the block is (place_errors). So memory is bounded by two
// chunks plus the ring, whatever the input (docs/limits.md).
#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

#include "runtime/batch.hpp"
#include "runtime/evaluate_select.hpp"
#include "runtime/line_writer.hpp"
#include "runtime/patient_fast.hpp"
#include "runtime/program.hpp"
#include "runtime/program_batch.hpp"

namespace rubric::runtime {

namespace {

constexpr std::size_t chunk_size = 1 << 22;    // bytes read at a time
constexpr std::size_t max_line = 16u << 20;    // longer lines are errors, skipped in constant memory
// Input bytes per block: about 250 patient lines. Large enough that the
// hand-over between threads (a lock and a wake-up per block) stays small next
// to the work (at 32 KiB, two threads were no faster than one: 21,000 context
// switches for 1M patients), small enough that a block's output stays in the cache. Its output is bounded by lines: a worker writes at most
// block_lines lines of a block into a ring slot, and the writer does the
// rest of a block of short lines (4 MB of bare newlines) itself.
constexpr std::size_t block_bytes = 1 << 16;
constexpr std::uint64_t block_lines = 1024;  // a multiple of the 64 lanes
constexpr std::size_t flush_bytes = 1 << 18;   // one thread: output buffered before a write
constexpr unsigned ring_per_thread = 4;        // blocks in flight per worker
// The decoder asks for the input this far ahead: a mapped file's pages are
// scattered in memory, and the hardware prefetcher stops at each 4 KiB page.
constexpr std::ptrdiff_t prefetch_distance = 1024;

// A run of complete lines, each ending in '\n', inside a chunk buffer.
struct block {
  const char* begin = nullptr;
  const char* end = nullptr;
  const char* limit = nullptr;  // end of the readable, padded buffer (zero-copy decoding)
  bool overlong = false;        // one line longer than max_line, already skipped
};

// The end of the block starting at `p`: the first line end at or past
// block_bytes, or the last one before `end`; null when no line is complete.
// Only the bytes around the cut are searched: the lines are counted by the
// worker that decodes them.
const char* block_end(const char* p, const char* end) {
  const auto size = static_cast<std::size_t>(end - p);
  if (size > block_bytes)
    if (const void* nl = std::memchr(p + block_bytes - 1, '\n', size - block_bytes + 1)) return static_cast<const char*>(nl) + 1;
  const void* nl = memrchr(p, '\n', size);
  return nl ? static_cast<const char*>(nl) + 1 : nullptr;
}

// An error line of a block, written when the number of the block's first
// line is known (place_errors): where it goes in the block's output, its
// line within the block (from 0), the id and the message without "line N: ".
struct pending_error {
  std::size_t offset = 0;
  std::uint64_t line = 0;
  std::string id, message;
};

// Writes the pending error lines into the block's output `out` at their
// offsets, numbered from `first_line`, and sets stats.first_error. Error
// lines are rare: the output after the first one is moved once, via `rest`.
void place_errors(const line_writer& w, std::uint64_t first_line, std::vector<pending_error>& errors, std::string& out,
                  std::string& rest, batch_stats& stats) {
  if (errors.empty()) return;
  const std::size_t start = errors.front().offset;
  rest.assign(out, start);
  out.resize(start);
  for (std::size_t i = 0; i < errors.size(); ++i) {
    const pending_error& e = errors[i];
    std::string message = fmt::format("line {}: {}", first_line + e.line, e.message);
    w.write_error(e.id, message, out);
    out.push_back('\n');
    const std::size_t to = i + 1 < errors.size() ? errors[i + 1].offset : start + rest.size();
    out.append(rest, e.offset - start, to - e.offset);
    if (stats.first_error.empty()) stats.first_error = std::move(message);
  }
  errors.clear();
}

void merge(batch_stats& into, const batch_stats& s) {
  into.lines += s.lines;
  into.errors += s.errors;
  into.matched += s.matched;
  into.undetermined += s.undetermined;
  into.no_criteria += s.no_criteria;
  into.reference += s.reference;
  if (into.first_error.empty()) into.first_error = s.first_error;
  into.stopped |= s.stopped;
}

// One thread's reusable state: nothing here allocates per line once warm.
class worker {
 public:
  static constexpr unsigned lanes = batch_evaluator::lanes;
  worker(const graph& g, const line_writer& w, const program& prog, const batch_options& o)
      : writer_(w), prog_(prog), decoder_(g), fast_(g, o.procedure_key), batch_(g),
        column_(!o.procedure_key.empty()), stop_at_error_(o.errors == on_error::fail) {
    if (column_) decoder_.set_extra_key(o.procedure_key);
    for (auto& p : patients_) p.reset(g);
    e_.values.resize(g.nodes.size());
    e_.numbers.resize(g.nodes.size());
  }

  // Appends the lines of the block from `p` to `out`, at most block_lines of
  // them, but for the error lines, which go to `errors` (place_errors writes
  // them). Returns where it stopped: b.end when the block is done. Under
  // on_error::fail, stops after the first error line (stats.stopped).
  const char* run(const block& b, const char* p, std::string& out, batch_stats& stats, std::vector<pending_error>& errors) {
    if (b.overlong) {
      add_error_line({}, fmt::format("longer than {} MiB", max_line >> 20), 0, out, stats, errors);
      return b.end;
    }
    std::uint64_t line = 0;
    const char* fetched = p;
    while (p < b.end && !stats.stopped && line < block_lines) {
      unsigned n = 0, good = 0;
      for (; n < lanes && p < b.end; ++n) {
        for (const char* ahead = p + prefetch_distance; fetched < ahead; fetched += 64) __builtin_prefetch(fetched);
        ok_[n] = decode(p, b, n);
        if (ok_[n]) ptrs_[good++] = &patients_[n];
      }
      batch_.run(std::span<const patient* const>(ptrs_.data(), good), std::span<batch_outcome>(outcomes_.data(), good));
      for (unsigned l = 0, k = 0; l < n && !stats.stopped; ++l, ++line) {
        if (!ok_[l]) add_error_line(patients_[l].id, error_[l], line, out, stats, errors);
        else {
          write_line(patients_[l], outcomes_[k], k, out, stats);
          ++k;
        }
      }
    }
    return p;
  }

 private:
  // Decodes the line at `p` into the lane and moves `p` to the next line.
  // The fast reader finds the line's end as it goes; only a line it leaves
  // is searched for its end and given to the full decoder.
  bool decode(const char*& p, const block& b, unsigned lane) {
    patient& pt = patients_[lane];
    if (const char* next = fast_.decode_line(p, b.end, pt)) {
      p = next;
    } else {
      const char* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(b.end - p)));
      std::size_t size = static_cast<std::size_t>(nl - p);
      if (size > 0 && p[size - 1] == '\r') --size;
      const std::size_t capacity = static_cast<std::size_t>(b.limit - p);
      const char* line = p;
      p = nl + 1;
      if (!decoder_.decode(std::string_view(line, size), pt, error_[lane], capacity)) return false;
    }
    if (column_ && writer_.ordered_for(pt) == -2) {
      error_[lane] = fmt::format("\"{}\" is not a procedure of this guideline (give its name, id or a code)", pt.extra);
      return false;
    }
    return true;
  }

  void write_line(const patient& pt, const batch_outcome& o, unsigned lane, std::string& out, batch_stats& stats) {
    status s = o.result;
    if (o.settled && pt.warnings.empty()) {
      writer_.write_settled(pt, s, o.variant, node_truth(batch_, lane), out);
    } else {
      // The node values are the batch evaluator's; only the details (the
      // candidates, the missing facts) are worked out for this line.
      if (values_from_lanes_) {
        for (std::uint32_t i = 0; i < e_.values.size(); ++i) e_.values[i] = batch_.value(i, lane);
        select_from_values(batch_.source(), pt, e_);
      } else {
        evaluate(prog_, pt, e_);
      }
      s = e_.result;
      ++stats.reference;
      writer_.write(pt, e_, out);
    }
    out.push_back('\n');
    ++stats.lines;
    switch (s) {
      case status::matched: ++stats.matched; break;
      case status::undetermined: ++stats.undetermined; break;
      case status::no_criteria_apply: ++stats.no_criteria; break;
    }
  }

  void add_error_line(std::string_view id, std::string_view message, std::uint64_t line, const std::string& out,
                      batch_stats& stats, std::vector<pending_error>& errors) {
    errors.push_back({out.size(), line, std::string(id), std::string(message)});
    ++stats.lines;
    ++stats.errors;
    if (stop_at_error_) stats.stopped = true;
  }

  const line_writer& writer_;
  const program& prog_;
  patient_decoder decoder_;
  fast_patient_decoder fast_;
  batch_evaluator batch_;
  evaluation e_;
  bool column_, stop_at_error_;
  const bool values_from_lanes_ = !has_arithmetic(batch_.source());  // version-2 graphs re-evaluate (intervals)
  std::array<patient, lanes> patients_;
  std::array<std::string, lanes> error_;
  std::array<bool, lanes> ok_{};
  std::array<const patient*, lanes> ptrs_{};
  std::array<batch_outcome, lanes> outcomes_{};
};

class progress_bar {
 public:
  progress_bar(bool on, std::uint64_t total) : on_(on), total_(total), start_(clock::now()), last_(start_) {}
  void update(std::uint64_t lines, std::uint64_t bytes, bool final = false) {
    if (!on_) return;
    auto now = clock::now();
    if (!final && now - last_ < std::chrono::milliseconds(200)) return;
    last_ = now;
    double secs = std::chrono::duration<double>(now - start_).count();
    double rate = secs > 0 ? double(lines) / secs : 0;
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

// Runs blocks and writes their output in input order: inline with one
// thread, else on a pool of threads - 1 that fills a ring the caller drains;
// the caller runs queued blocks itself while it waits, so N threads keep N
// cores busy (a pool of N beside a waiting caller made three threads on two
// cores, and a context switch per block).
class scheduler {
 public:
  scheduler(const graph& g, const batch_options& o, batch_sink& sink, batch_stats& total)
      : writer_(g, o.fields, o.procedure), prog_(g), sink_(sink), total_(total),
        threads_(std::max(1u, o.threads)), ring_(threads_ * ring_per_thread) {
    // The last worker is the caller's: blocks it takes while waiting, and the
    // rest of a block of short lines.
    for (unsigned t = 0; t < threads_; ++t) workers_.push_back(std::make_unique<worker>(g, writer_, prog_, o));
    if (threads_ == 1) return;
    for (unsigned t = 0; t + 1 < threads_; ++t) pool_.emplace_back([this, t] { work(*workers_[t]); });
  }
  // Waits for the workers: a block in flight finishes (it reads the caller's
  // chunk buffers, so those must outlive the scheduler); queued blocks are
  // dropped, which only happens when the run stopped early.
  ~scheduler() {
    {
      std::lock_guard lock(m_);
      closing_ = true;
      cancel_ = true;
    }
    work_cv_.notify_all();
    for (auto& t : pool_) t.join();
  }

  bool stopped() const { return total_.stopped || !total_.io_error.empty(); }
  std::uint64_t submitted() const { return next_; }

  void submit(const block& b) {
    if (stopped()) return;
    if (threads_ == 1) {
      run_here(*workers_[0], b, b.begin);
      ++next_;
      return;
    }
    {
      std::lock_guard lock(m_);
      queue_.push_back({next_++, b});
    }
    work_cv_.notify_one();
  }

  // Writes every block submitted before `seq`, in order.
  void drain(std::uint64_t seq) {
    if (threads_ == 1) {
      flush();
      return;
    }
    while (written_ < seq && !stopped()) {
      slot& s = ring_[written_ % ring_.size()];
      wait_running_queued(s);
      place_errors(writer_, total_.lines + 1, s.errors, s.out, rest_, s.stats);
      merge(total_, s.stats);
      if (!s.out.empty() && !sink_.write(s.out.data(), s.out.size())) total_.io_error = "cannot write the output";
      if (s.rest != s.b.end && !stopped()) {  // more than block_lines lines: the rest, here
        run_here(*workers_.back(), s.b, s.rest);
        flush();
      }
      s.out.clear();
      s.stats = {};
      {
        std::lock_guard lock(m_);
        s.done = false;
        ++written_;
        if (stopped()) cancel_ = true;
      }
      work_cv_.notify_all();
    }
  }

 private:
  struct slot {
    block b;
    const char* rest = nullptr;  // where its worker stopped (b.end: the whole block is in `out`)
    std::string out;
    batch_stats stats;
    std::vector<pending_error> errors;
    bool done = false;
  };

  // Until `s` is done: runs the queued blocks that fit in the ring here
  // (the next one written is among them when no worker has taken it), then
  // sleeps until a worker finishes one.
  void wait_running_queued(const slot& s) {
    std::unique_lock lock(m_);
    while (!s.done) {
      if (!queue_.empty() && queue_.front().first < written_ + ring_.size()) {
        auto [seq, b] = queue_.front();
        queue_.pop_front();
        lock.unlock();
        fill(*workers_.back(), seq, b);
        lock.lock();
        ring_[seq % ring_.size()].done = true;
        continue;
      }
      done_cv_.wait(lock);
    }
  }

  void fill(worker& w, std::uint64_t seq, const block& b) {
    slot& s = ring_[seq % ring_.size()];
    s.b = b;
    s.rest = w.run(b, b.begin, s.out, s.stats, s.errors);
  }

  void work(worker& w) {
    std::unique_lock lock(m_);
    while (true) {
      work_cv_.wait(lock, [&] {
        return cancel_ || (closing_ && queue_.empty()) || (!queue_.empty() && queue_.front().first < written_ + ring_.size());
      });
      if (cancel_ || queue_.empty()) return;
      auto [seq, b] = queue_.front();
      queue_.pop_front();
      lock.unlock();
      fill(w, seq, b);
      lock.lock();
      ring_[seq % ring_.size()].done = true;
      done_cv_.notify_all();
    }
  }

  // Runs the block from `from` on `w` in this thread, block_lines at a time,
  // into the output buffer (written when full, and by drain).
  void run_here(worker& w, const block& b, const char* from) {
    do {
      batch_stats s;
      from = w.run(b, from, out_, s, errors_);
      place_errors(writer_, total_.lines + 1, errors_, out_, rest_, s);
      merge(total_, s);
      if (out_.size() >= flush_bytes || s.stopped) flush();
    } while (from != b.end && !stopped());
  }

  void flush() {
    if (!out_.empty() && total_.io_error.empty() && !sink_.write(out_.data(), out_.size()))
      total_.io_error = "cannot write the output";
    out_.clear();
  }

  line_writer writer_;
  program prog_;
  batch_sink& sink_;
  batch_stats& total_;
  unsigned threads_;
  std::vector<std::unique_ptr<worker>> workers_;
  std::string out_;  // run_here's output buffer
  std::vector<pending_error> errors_;  // run_here's error lines
  std::string rest_;  // place_errors' scratch (the writer's)
  std::vector<slot> ring_;
  std::deque<std::pair<std::uint64_t, block>> queue_;
  std::uint64_t next_ = 0, written_ = 0;
  bool closing_ = false, cancel_ = false;
  std::mutex m_;
  std::condition_variable work_cv_, done_cv_;
  std::vector<std::thread> pool_;
};

struct fd_source final : batch_source {
  int fd;
  explicit fd_source(int f) : fd(f) {}
  std::ptrdiff_t read(char* buf, std::size_t size) override {
    ssize_t got;
    do got = ::read(fd, buf, size);
    while (got < 0 && errno == EINTR);
    return got;
  }
};

struct file_source final : batch_source {
  std::FILE* f;
  explicit file_source(std::FILE* file) : f(file) {}
  std::ptrdiff_t read(char* buf, std::size_t size) override {
    std::size_t n = std::fread(buf, 1, size, f);
    if (n == 0 && std::ferror(f)) return -1;
    return static_cast<std::ptrdiff_t>(n);
  }
};

struct memory_source final : batch_source {
  std::string_view rest;
  std::ptrdiff_t read(char* buf, std::size_t size) override {
    std::size_t n = std::min(size, rest.size());
    std::memcpy(buf, rest.data(), n);
    rest.remove_prefix(n);
    return static_cast<std::ptrdiff_t>(n);
  }
};

struct fd_sink final : batch_sink {
  int fd;
  explicit fd_sink(int f) : fd(f) {}
  bool write(const char* data, std::size_t size) override {
    while (size > 0) {
      ssize_t put = ::write(fd, data, size);
      if (put < 0 && errno == EINTR) continue;
      if (put <= 0) return false;
      data += put;
      size -= static_cast<std::size_t>(put);
    }
    return true;
  }
};

struct file_sink final : batch_sink {
  std::FILE* f;
  explicit file_sink(std::FILE* file) : f(file) {}
  bool write(const char* data, std::size_t size) override { return std::fwrite(data, 1, size, f) == size; }
};

struct string_sink final : batch_sink {
  std::string& out;
  explicit string_sink(std::string& o) : out(o) {}
  bool write(const char* data, std::size_t size) override {
    out.append(data, size);
    return true;
  }
};

// Cuts the complete lines of [p, data_end) into blocks and submits them
// (`limit`: the end of the readable bytes); returns where the rest starts.
const char* submit_lines(scheduler& sched, const char* p, const char* data_end, const char* limit) {
  while (p < data_end && !sched.stopped()) {
    const char* end = block_end(p, data_end);
    if (!end) break;
    sched.submit({p, end, limit, false});
    p = end;
  }
  return p;
}

// A regular file, mapped read-only: the lines are decoded where the page
// cache holds them, with no copy into a buffer. The same chunks, blocks and
// drains as the streaming loop; the pages of a chunk whose blocks are written
// are dropped from the mapping (MADV_DONTNEED), so resident memory stays two
// chunks whatever the file's size. A last line without a newline is copied
// into `tail` with one.
batch_stats run_mapped(const graph& g, const char* base, std::size_t start, std::size_t size, batch_sink& out,
                       const batch_options& options) {
  batch_stats total;
  progress_bar bar(options.progress, options.total_bytes);
  std::string tail;  // declared before the scheduler: blocks in flight may read it
  scheduler sched(g, options, out, total);
  const std::size_t page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  const char* const file_end = base + size;
  std::uint64_t chunk_end[2] = {0, 0};
  std::size_t released = 0;  // bytes of the mapping already given back
  std::size_t chunk_begin[2] = {start, start};
  int cur = 0;
  const char* p = base + start;
  while (p < file_end && !sched.stopped()) {
    chunk_begin[cur] = static_cast<std::size_t>(p - base);
    const char* const stop = base + std::min(size, chunk_begin[cur] + chunk_size);
#if defined(MADV_POPULATE_READ)
    // One call maps the chunk's pages instead of a fault per few pages.
    const std::size_t from = chunk_begin[cur] / page * page;
    ::madvise(const_cast<char*>(base) + from, static_cast<std::size_t>(stop - base) - from, MADV_POPULATE_READ);
#endif
    const char* q = submit_lines(sched, p, stop, file_end);
    if (q == p && !sched.stopped()) {  // no line ends in this chunk: one long line
      const void* nl = std::memchr(p, '\n', static_cast<std::size_t>(file_end - p));
      const char* line_end = nl ? static_cast<const char*>(nl) : file_end;
      if (static_cast<std::size_t>(line_end - p) >= max_line) {
        sched.submit({nullptr, nullptr, nullptr, true});
        q = nl ? line_end + 1 : file_end;
      } else if (nl) {
        sched.submit({p, line_end + 1, file_end, false});
        q = line_end + 1;
      } else {  // the last line, without a newline: a padded copy with one
        tail.assign(p, line_end);
        tail.push_back('\n');
        tail.append(decode_padding(), '\0');
        const char* t = tail.data();
        sched.submit({t, t + (line_end - p) + 1, t + tail.size(), false});
        q = file_end;
      }
    }
    p = q;
    chunk_end[cur] = sched.submitted();
    sched.drain(chunk_end[cur ^ 1]);  // the previous chunk's lines are written: its pages can go
    const std::size_t keep = chunk_begin[cur] / page * page;
    if (keep > released) {
      ::madvise(const_cast<char*>(base) + released, keep - released, MADV_DONTNEED);
      released = keep;
    }
    bar.update(total.lines, static_cast<std::uint64_t>(p - base - start));
    cur ^= 1;
  }
  sched.drain(sched.submitted());
  bar.update(total.lines, static_cast<std::uint64_t>(p - base - start), true);
  return total;
}

// A read buffer that grows without zero-filling and keeps its first bytes:
// a run over a few lines touches only the pages it uses, not the whole
// chunk (a std::string's resize writes every byte of it).
class read_buffer {
 public:
  char* data() { return data_.get(); }
  // At least `n` bytes, the first `keep` of them as they were.
  void reserve(std::size_t n, std::size_t keep) {
    if (n <= size_) return;
    auto bigger = std::make_unique_for_overwrite<char[]>(n);
    if (keep > 0) std::memcpy(bigger.get(), data_.get(), keep);
    data_ = std::move(bigger);
    size_ = n;
  }

 private:
  std::unique_ptr<char[]> data_;
  std::size_t size_ = 0;
};

}  // namespace

batch_stats run_batch(const graph& g, batch_source& in, batch_sink& out, const batch_options& options) {
  batch_stats total;
  progress_bar bar(options.progress, options.total_bytes);
  // Declared before the scheduler, so they outlive its workers (a run that
  // stops early leaves blocks in flight until the scheduler joins them).
  read_buffer bufs[2];
  scheduler sched(g, options, out, total);
  const std::size_t pad = decode_padding();
  std::uint64_t chunk_end[2] = {0, 0};  // blocks submitted up to the end of the chunk each buffer holds
  int cur = 0;
  std::size_t have = 0;  // bytes in bufs[cur]: the previous chunk's incomplete line
  std::uint64_t bytes_read = 0;
  bool skipping = false, eof = false;
  // Reads start at 64 KiB and grow fourfold while they come back full, up
  // to a chunk: a short input never allocates (nor frees) whole chunks.
  std::size_t read_size = std::min<std::size_t>(chunk_size, 1u << 16);

  while (!eof && !sched.stopped()) {
    read_buffer& buf = bufs[cur];
    const std::size_t room = std::max(read_size, have + (1u << 16));
    buf.reserve(room + pad + 1, have);
    // read(2) returns what a pipe has now, so a streaming producer gets its
    // answers without waiting for a full chunk.
    std::ptrdiff_t got = in.read(buf.data() + have, room - have);
    if (got < 0) {
      total.io_error = "cannot read the input";
      break;
    }
    eof = got == 0;
    if (static_cast<std::size_t>(got) == room - have) read_size = std::min(chunk_size, read_size * 4);
    bytes_read += static_cast<std::uint64_t>(got);
    have += static_cast<std::size_t>(got);
    if (eof && have > 0 && buf.data()[have - 1] != '\n') buf.data()[have++] = '\n';  // a last line without newline counts
    std::memset(buf.data() + have, 0, pad);

    std::size_t pos = 0;
    if (skipping) {  // the rest of an over-long line, already reported
      const void* nl = std::memchr(buf.data(), '\n', have);
      pos = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - buf.data()) + 1 : have;
      skipping = nl == nullptr;
    }
    // Cut complete lines into blocks; the rest waits for the next read.
    const char* const data_end = buf.data() + have;
    pos = static_cast<std::size_t>(submit_lines(sched, buf.data() + pos, data_end, data_end + pad) - buf.data());
    std::size_t rest = have - pos;
    if (!eof && rest >= max_line) {
      sched.submit({nullptr, nullptr, nullptr, true});
      skipping = true;
      rest = 0;
    }
    chunk_end[cur] = sched.submitted();
    // The other buffer's blocks must be written before it is reused.
    sched.drain(chunk_end[cur ^ 1]);
    if (sched.stopped()) break;  // blocks of the other buffer may still be in flight: never reuse it
    std::uint64_t written_lines = total.lines;
    bar.update(written_lines, bytes_read);
    read_buffer& next = bufs[cur ^ 1];
    next.reserve(std::max(read_size, rest + (1u << 16)) + pad + 1, 0);
    if (rest > 0) std::memcpy(next.data(), buf.data() + pos, rest);
    have = rest;
    cur ^= 1;
  }
  sched.drain(sched.submitted());
  bar.update(total.lines, bytes_read, true);
  return total;
}

batch_stats run_batch(const graph& g, std::FILE* in, std::FILE* out, const batch_options& options) {
  std::fflush(out);
  const int in_fd = fileno(in), out_fd = fileno(out);
  // A regular file is mapped (no copy through read(2)); a pipe streams.
  struct stat st;
  const off_t at = in_fd >= 0 ? ::ftello(in) : -1;
  if (in_fd >= 0 && out_fd >= 0 && at >= 0 && ::fstat(in_fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > at) {
    const auto size = static_cast<std::size_t>(st.st_size);
    void* map = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, in_fd, 0);
    if (map != MAP_FAILED) {
      ::madvise(map, size, MADV_SEQUENTIAL);
      fd_sink fdo(out_fd);
      batch_stats s = run_mapped(g, static_cast<const char*>(map), static_cast<std::size_t>(at), size, fdo, options);
      ::munmap(map, size);
      ::fseeko(in, st.st_size, SEEK_SET);  // consumed, as after reading
      return s;
    }
  }
  fd_source fds(in_fd);
  file_source fs(in);
  fd_sink fdo(out_fd);
  file_sink fo(out);
  batch_source& src = in_fd >= 0 ? static_cast<batch_source&>(fds) : fs;
  batch_sink& dst = out_fd >= 0 ? static_cast<batch_sink&>(fdo) : fo;
  batch_stats s = run_batch(g, src, dst, options);
  std::fflush(out);
  return s;
}

batch_stats run_batch(const graph& g, std::string_view input, std::string& output, const batch_options& options) {
  memory_source src;
  src.rest = input;
  string_sink dst(output);
  return run_batch(g, src, dst, options);
}

}  // namespace rubric::runtime
