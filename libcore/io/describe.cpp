#include "io/describe.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <sstream>

#include "util/error.hpp"
#include "util/printable.hpp"

namespace ctd {

namespace {
// ---- slicing --------------------------------------------------------------
struct Axis {
  long start = 0, stop = 0;
  bool single = false;
};

long parse_index(const std::string& t, const std::string& spec) {
  char* end = nullptr;
  const long v = std::strtol(t.c_str(), &end, 10);
  if (t.empty() || *end) throw UsageError(spec + ": '" + t + "' is not an index");
  return v;
}

std::vector<Axis> parse_slices(const std::string& text, const Shape& shape, const std::string& spec) {
  std::vector<std::string> parts;
  std::string cur;
  for (char c : text) {
    if (c == ',') {
      parts.push_back(cur);
      cur.clear();
    } else if (c != ' ') {
      cur += c;
    }
  }
  parts.push_back(cur);
  if (parts.size() > shape.size())
    throw UsageError(spec + ": " + std::to_string(parts.size()) + " indices for a dataset of shape " + shape_string(shape));
  std::vector<Axis> axes;
  for (size_t d = 0; d < shape.size(); ++d) {
    const long n = long(shape[d]);
    Axis a{0, n, false};
    if (d < parts.size()) {
      const std::string& p = parts[d];
      const auto colon = p.find(':');
      auto at = [&](const std::string& t, long fallback) {
        if (t.empty()) return fallback;
        long v = parse_index(t, spec);
        return v < 0 ? v + n : v;
      };
      if (p.empty()) throw UsageError(spec + ": axis " + std::to_string(d) + " has no index (use ':' for all)");
      if (colon == std::string::npos) {
        a.start = at(p, 0);
        if (a.start < 0 || a.start >= n)
          throw Error(spec + ": index " + p + " is outside axis " + std::to_string(d) + " of " + shape_string(shape));
        a.stop = a.start + 1;
        a.single = true;
      } else {
        a.start = std::clamp(at(p.substr(0, colon), 0), 0L, n);
        a.stop = std::clamp(at(p.substr(colon + 1), n), 0L, n);
        a.stop = std::max(a.stop, a.start);
      }
    }
    axes.push_back(a);
  }
  return axes;
}

template <class T>
std::vector<T> gather(const std::vector<T>& data, const Shape& shape, const std::vector<Axis>& axes) {
  std::vector<T> out;
  std::vector<long> idx(axes.size());
  for (size_t d = 0; d < axes.size(); ++d) {
    idx[d] = axes[d].start;
    if (axes[d].stop <= axes[d].start) return out;
  }
  while (true) {
    size_t flat = 0;
    for (size_t d = 0; d < axes.size(); ++d) flat = flat * shape[d] + size_t(idx[d]);
    out.push_back(data[flat]);
    long d = long(axes.size()) - 1;
    for (; d >= 0; --d) {
      if (++idx[size_t(d)] < axes[size_t(d)].stop) break;
      idx[size_t(d)] = axes[size_t(d)].start;
    }
    if (d < 0) return out;
  }
}

// ---- numbers as text -----------------------------------------------------
std::string num(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}
std::string cnum(std::complex<double> v) {
  return num(v.real()) + (v.imag() < 0 || std::signbit(v.imag()) ? "" : "+") + num(v.imag()) + "i";
}
std::string json_num(double v) { return std::isfinite(v) ? num(v) : "null"; }
std::string json_str(const std::string& s) { return json_string(s); }
// `text` and at least one space, filled to `width` columns (a column per byte is close enough for alignment).
std::string padded(const std::string& text, size_t width) {
  return text + std::string(text.size() < width ? width - text.size() : 1, ' ');
}

bool numeric(const std::string& type) {
  return type.rfind("float", 0) == 0 || type.rfind("int", 0) == 0 || type.rfind("uint", 0) == 0;
}

// Statistics of one dataset, shared by the text and JSON descriptions.
struct Summary {
  std::string path, type;
  Shape shape;
  bool stats = false, complex = false;
  double lo = 0, mean = 0, hi = 0, max_abs = 0;
  size_t nonfinite = 0, outside_unit = 0, count = 0;
  std::vector<double> small;  // all values of a small real dataset
};

constexpr size_t kSmall = 8;

Summary summarise(const H5File& f, const std::string& ds) {
  Summary s{ds, f.dataset_type_name(ds), f.dataset_shape(ds)};
  if (numeric(s.type)) {
    const Array<double> a = f.read<double>(ds);
    double lo = INFINITY, hi = -INFINITY, sum = 0;
    for (double v : a.data) {
      if (!std::isfinite(v)) {
        ++s.nonfinite;
        continue;
      }
      lo = std::min(lo, v);
      hi = std::max(hi, v);
      sum += v;
    }
    s.count = a.size() - s.nonfinite;
    s.stats = s.count > 0;
    if (s.stats) s.lo = lo, s.hi = hi, s.mean = sum / double(s.count);
    if (a.size() <= kSmall) s.small = a.data;
  } else if (s.type.rfind("complex", 0) == 0) {
    const Array<std::complex<double>> a = f.read<std::complex<double>>(ds);
    s.complex = true;
    for (const auto& v : a.data) {
      s.max_abs = std::max(s.max_abs, std::abs(v));
      s.outside_unit += std::abs(v) > 1;
    }
    s.count = a.size();
  }
  return s;
}

// One value as text, or several: a JSON array, or up to `shown` values joined with ", ".
template <class T, class Text>
std::string list_text(const std::vector<T>& v, bool json, size_t shown, Text text) {
  if (json && v.size() == 1) return text(v[0]);
  std::ostringstream out;
  const size_t n = json ? v.size() : std::min(v.size(), shown);
  out << (json ? "[" : "");
  for (size_t i = 0; i < n; ++i) out << (i ? ", " : "") << text(v[i]);
  if (n < v.size()) out << ", ... (" << v.size() << " values)";
  out << (json ? "]" : "");
  return out.str();
}

std::string attribute_text(const H5File& f, const std::string& name, const std::string& object, bool json) {
  if (f.attribute_is_string(name, object))
    return list_text(f.read_attribute_strings(name, object), json, SIZE_MAX,
                     [&](const std::string& t) { return json ? json_str(t) : printable(t); });
  return list_text(f.read_attribute_doubles(name, object), json, 6,
                   [&](double v) { return json ? json_num(v) : num(v); });
}

bool hidden_attribute(const std::string& a) { return a == "history" || a == "ctd_kind" || a == "ctd_version"; }
}  // namespace

Selection select_values(const H5File& f, const std::string& spec) {
  Selection s;
  const auto open = spec.find('[');
  s.dataset = spec.substr(0, open);
  if (!f.has_dataset(s.dataset)) throw Error(f.name() + ": no dataset '" + s.dataset + "'");
  const Shape shape = f.dataset_shape(s.dataset);
  std::vector<Axis> axes;
  if (open == std::string::npos) {
    for (size_t n : shape) axes.push_back({0, long(n), false});
  } else {
    if (spec.back() != ']') throw UsageError(spec + ": a slice ends with ']', e.g. fps[0:5]");
    axes = parse_slices(spec.substr(open + 1, spec.size() - open - 2), shape, spec);
  }
  for (const Axis& a : axes)
    if (!a.single) s.shape.push_back(size_t(a.stop - a.start));
  const std::string type = f.dataset_type_name(s.dataset);
  if (type.rfind("complex", 0) == 0) {
    s.complex = true;
    s.cvalues = gather(f.read<std::complex<double>>(s.dataset).data, shape, axes);
  } else if (numeric(type)) {
    s.values = gather(f.read<double>(s.dataset).data, shape, axes);
  } else {
    throw Error(f.where(s.dataset) + " holds " + type + ", not numbers");
  }
  return s;
}

std::string values_text(const Selection& s) {
  std::ostringstream out;
  const size_t n = s.complex ? s.cvalues.size() : s.values.size();
  const size_t cols = s.shape.empty() ? 1 : s.shape.back();
  const size_t block = s.shape.size() >= 2 ? cols * s.shape[s.shape.size() - 2] : n + 1;
  for (size_t i = 0; i < n; ++i) {
    if (s.shape.size() > 2 && i % block == 0) {  // the leading indices of this 2-D block
      out << (i ? "\n" : "") << "[";
      size_t rest = i / block;
      std::vector<size_t> lead(s.shape.size() - 2);
      for (size_t d = lead.size(); d-- > 0;) lead[d] = rest % s.shape[d], rest /= s.shape[d];
      for (size_t d = 0; d < lead.size(); ++d) out << lead[d] << ",";
      out << ":,:]\n";
    }
    out << (s.complex ? cnum(s.cvalues[i]) : num(s.values[i]));
    out << ((s.shape.size() >= 2 && (i + 1) % cols != 0) ? " " : "\n");
  }
  return out.str();
}

std::string values_csv(const Selection& s) {
  if (s.shape.size() > 2)
    throw Error("--csv " + s.dataset + ": the selection has shape " + shape_string(s.shape) +
                "; CSV takes 1-D or 2-D data: slice it, e.g. " + s.dataset + "[0]");
  std::ostringstream out;
  const size_t n = s.complex ? s.cvalues.size() : s.values.size();
  const size_t cols = s.shape.size() == 2 ? s.shape[1] : 1;
  for (size_t i = 0; i < n; ++i) {
    out << (s.complex ? num(s.cvalues[i].real()) + "," + num(s.cvalues[i].imag()) : num(s.values[i]));
    out << ((i + 1) % cols == 0 ? "\n" : ",");
  }
  return out.str();
}

std::string attribute_value(const H5File& f, const std::string& path) {
  const auto slash = path.find_last_of('/');
  const std::string object = slash == std::string::npos || slash == 0 ? "/" : path.substr(0, slash);
  const std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  if (!f.has_attribute(name, object))
    throw Error(f.name() + ": no attribute '" + name + "'" + (object == "/" ? "" : " on '" + object + "'"));
  std::string out;
  if (f.attribute_is_string(name, object))
    for (const auto& v : f.read_attribute_strings(name, object)) out += printable_lines(v) + "\n";
  else
    for (double v : f.read_attribute_doubles(name, object)) out += num(v) + "\n";
  return out;
}

std::string describe_text(const H5File& f) {
  std::ostringstream out;
  out << printable(f.name()) << "\n";
  if (f.has_attribute("ctd_kind"))
    out << "kind: " << printable(f.read_attribute_string("ctd_kind")) << "  (ctd "
        << (f.has_attribute("ctd_version") ? printable(f.read_attribute_string("ctd_version")) : "?") << ")\n";
  out << "datasets:\n";
  for (const auto& ds : f.list_datasets()) {
    const Summary s = summarise(f, ds);
    out << "  " << padded(printable(ds), 28) << padded(shape_string(s.shape), 16) << padded(s.type, 11);
    if (s.stats) out << "min " << num(s.lo) << "  mean " << num(s.mean) << "  max " << num(s.hi);
    if (s.nonfinite) out << "  (" << s.nonfinite << " NaN/Inf)";
    if (s.complex) out << "max |z| " << num(s.max_abs) << "  |z| > 1: " << s.outside_unit << " of " << s.count;
    if (!s.small.empty() && s.small.size() > 1) {
      out << "  values";
      for (double v : s.small) out << " " << num(v);
    }
    out << "\n";
  }
  const std::vector<std::string> groups = f.list_groups();
  bool any = false;
  for (const auto& g : groups) {
    const std::vector<std::string> attrs = f.list_attributes(g);
    if (attrs.empty()) continue;
    if (!any) out << "groups:\n";
    any = true;
    out << "  " << printable(g) << ":\n";
    for (const auto& a : attrs) out << "    " << printable(a) << " = " << attribute_text(f, a, g, false) << "\n";
  }
  out << "attributes:\n";
  for (const auto& a : f.list_attributes())
    if (!hidden_attribute(a)) out << "  " << printable(a) << " = " << attribute_text(f, a, "/", false) << "\n";
  if (f.has_attribute("history")) {
    out << "history:\n";
    std::istringstream h(f.read_attribute_string("history"));
    for (std::string line; std::getline(h, line);) out << "  " << printable(line) << "\n";
  }
  return out.str();
}

std::string describe_json(const H5File& f) {
  std::ostringstream out;
  auto attr = [&](const std::string& name) {
    return f.has_attribute(name) ? json_str(f.read_attribute_string(name)) : std::string("null");
  };
  out << "{\"file\": " << json_str(f.name()) << ", \"kind\": " << attr("ctd_kind") << ", \"version\": " << attr("ctd_version")
      << ",\n \"datasets\": [";
  const std::vector<std::string> datasets = f.list_datasets();
  for (size_t i = 0; i < datasets.size(); ++i) {
    const Summary s = summarise(f, datasets[i]);
    out << (i ? ",\n  " : "\n  ") << "{\"path\": " << json_str(s.path) << ", \"shape\": [";
    for (size_t d = 0; d < s.shape.size(); ++d) out << (d ? ", " : "") << s.shape[d];
    out << "], \"type\": " << json_str(s.type);
    if (s.stats) out << ", \"min\": " << json_num(s.lo) << ", \"mean\": " << json_num(s.mean) << ", \"max\": " << json_num(s.hi);
    if (numeric(s.type)) out << ", \"nonfinite\": " << s.nonfinite;
    if (s.complex) out << ", \"max_abs\": " << json_num(s.max_abs) << ", \"outside_unit_circle\": " << s.outside_unit;
    if (!s.small.empty()) {
      out << ", \"values\": [";
      for (size_t k = 0; k < s.small.size(); ++k) out << (k ? ", " : "") << json_num(s.small[k]);
      out << "]";
    }
    out << "}";
  }
  out << "],\n \"groups\": {";
  bool first = true;
  for (const auto& g : f.list_groups()) {
    out << (first ? "\n  " : ",\n  ") << json_str(g) << ": {";
    first = false;
    const std::vector<std::string> attrs = f.list_attributes(g);
    for (size_t k = 0; k < attrs.size(); ++k)
      out << (k ? ", " : "") << json_str(attrs[k]) << ": " << attribute_text(f, attrs[k], g, true);
    out << "}";
  }
  out << "},\n \"attributes\": {";
  first = true;
  for (const auto& a : f.list_attributes())
    if (!hidden_attribute(a)) {
      out << (first ? "" : ", ") << json_str(a) << ": " << attribute_text(f, a, "/", true);
      first = false;
    }
  out << "},\n \"history\": [";
  if (f.has_attribute("history")) {
    std::istringstream h(f.read_attribute_string("history"));
    first = true;
    for (std::string line; std::getline(h, line);) {
      out << (first ? "" : ", ") << json_str(line);
      first = false;
    }
  }
  out << "]}\n";
  return out.str();
}

}  // namespace ctd
