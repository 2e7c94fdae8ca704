#include "plot/figure.hpp"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>

#include "util/error.hpp"
#include "util/format.hpp"
#include "util/printable.hpp"

namespace ctd {

DataBlock& DataBlock::row(std::initializer_list<double> values) { return row(std::vector<double>(values)); }

DataBlock& DataBlock::row(const std::vector<double>& values) {
  char buf[32];
  for (size_t i = 0; i < values.size(); ++i) {
    if (std::isfinite(values[i]))
      std::snprintf(buf, sizeof buf, "%.9g", values[i]);
    else
      std::snprintf(buf, sizeof buf, "NaN");  // gnuplot skips it
    body_ += (i ? " " : "") + std::string(buf);
  }
  body_ += "\n";
  ++rows_;
  return *this;
}

DataBlock& DataBlock::break_line() {
  body_ += "\n";
  return *this;
}

DataBlock& DataBlock::next_set() {
  body_ += "\n\n";
  return *this;
}

std::string DataBlock::text() const { return name_ + " << EOD\n" + body_ + "EOD\n"; }

std::string quoted(const std::string& bytes) {
  // gnuplot expands backquotes (a shell command) inside double-quoted strings,
  // and its octal escapes are the one way to write any byte without them:
  // every byte that is not plain printable ASCII, and ` @ $, goes as \ooo.
  std::string s = "\"";
  for (unsigned char c : bytes) {
    if (c == '"' || c == '\\') {
      s += '\\';
      s += char(c);
    } else if (c >= 0x20 && c < 0x7F && c != '`' && c != '@' && c != '$') {
      s += char(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\%03o", c);
      s += buf;
    }
  }
  return s + "\"";
}

std::string literal_text(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size();) {
    const size_t n = utf8_length(text, i);
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (n == 0 || (n == 1 && ((c < 0x20 && c != '\n') || c == 0x7F))) {
      out += "\xEF\xBF\xBD";  // U+FFFD for a byte that is not text
      i += n ? n : 1;
      continue;
    }
    if (n == 1 && std::strchr("^_@&~{}\\", c)) out += '\\';  // enhanced text's markup, shown as itself
    out.append(text, i, n);
    i += n;
  }
  return out;
}

std::string label(const std::string& text) { return quoted(literal_text(text)); }

std::string title_of(const PlotRequest& r, const std::string& fallback) { return label(r.title.empty() ? fallback : r.title); }

std::string tic_step(double lo, double hi) {
  const double range = hi - lo;
  if (!(range > 0) || !std::isfinite(range)) return "autofreq";
  const double raw = range / 4, base = std::pow(10.0, std::floor(std::log10(raw)));
  const double step = raw <= base ? base : raw <= 2 * base ? 2 * base : raw <= 5 * base ? 5 * base : 10 * base;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", step);
  return buf;
}

std::vector<int64_t> pick(const std::vector<int64_t>& asked, std::vector<int64_t> fallback, size_t count,
                          const std::string& what) {
  std::vector<int64_t> chosen = asked.empty() ? std::move(fallback) : asked;
  if (asked.empty()) {  // a default never asks for more than there is
    std::vector<int64_t> fit;
    for (int64_t i : chosen)
      if (i >= 0 && size_t(i) < count) fit.push_back(i);
    chosen = fit;
  }
  for (int64_t i : chosen)
    if (i < 0 || size_t(i) >= count)
      throw Error(what + " " + std::to_string(i) + " does not exist: there are " + std::to_string(count) +
                  " (0.." + std::to_string(int64_t(count) - 1) + ")");
  if (chosen.empty()) throw Error("no " + what + " to plot");
  return chosen;
}

std::vector<int> read_stability(const H5File& f, const std::string& dataset, size_t K) {
  if (!f.has_dataset(dataset)) return std::vector<int>(K, 1);
  const Array<double> s = f.read<double>(dataset);
  if (s.size() != K)
    throw Error(f.where(dataset) + " has " + std::to_string(s.size()) + " values for " + std::to_string(K) +
                " points");
  std::vector<int> out;
  for (double v : s.data) {
    if (v != 0 && v != 1 && v != 2)
      throw Error(f.where(dataset) + " holds " + fmt("%g", v) + " but 0 (stable), 1 (marginal) or 2 (unstable) is required");
    out.push_back(int(v));
  }
  return out;
}

std::string file_kind(const H5File& file) {
  return file.has_attribute("ctd_kind") && file.attribute_is_string("ctd_kind") ? file.read_attribute_string("ctd_kind")
                                                                                 : "";
}

const std::vector<FigureKind>& figures_of(const std::string& kind) {
  static std::map<std::string, std::vector<FigureKind>> cache;  // node-based: references stay valid
  if (auto it = cache.find(kind); it != cache.end()) return it->second;
  std::vector<FigureKind> all;
  for (auto part : {trial_figures, fixed_point_figures, lfads_figures, training_figures, comparison_figures, lyapunov_figures,
                    cycles_figures, pbt_figures, context_figures, reservoir_figures, continuation_figures})  // main figure first
    for (FigureKind& f : part(kind)) all.push_back(std::move(f));
  if (all.empty())
    throw Error("no figures for files of kind '" + kind +
                "': ctd-plot draws rnn-params, task, states, fixed-points, linearization, lfads-data, lfads-model, "
                "lfads-posterior, esn, comparison, lyapunov, cycles, pbt-population and context-analysis files");
  return cache.emplace(kind, std::move(all)).first->second;
}

Figure make_figure(const H5File& file, const std::string& name, const PlotRequest& request) {
  const std::string kind = file_kind(file);
  if (kind.empty()) throw Error(file.name() + ": not a ctd file (no ctd_kind attribute): nothing to plot");
  const std::vector<FigureKind>& figures = figures_of(kind);
  const FigureKind* chosen = name.empty() ? &figures.front() : nullptr;
  std::string names;
  for (const FigureKind& f : figures) {
    if (f.name == name) chosen = &f;
    names += (names.empty() ? "" : ", ") + f.name;
  }
  if (!chosen) throw UsageError("--figure " + name + ": a " + kind + " file offers " + names);
  Figure figure = chosen->make(file, request);
  // A figure of axes alone would look like a result: an empty one is an error.
  bool any = false;
  for (const DataBlock& b : figure.data) any = any || !b.empty();
  if (!any) throw Error(file.name() + ": nothing to draw in the " + chosen->name + " figure (its datasets hold no values)");
  return figure;
}

}  // namespace ctd
