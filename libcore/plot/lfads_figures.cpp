// Figures of an LFADS posterior: inferred rates against the truth and the
// spikes, inferred inputs against the true ones, factors, and the raster.
// Posteriors in ctd's and lfads-torch's layouts; data files in ctd's,
// lfads-torch's and NLB's.
#include <algorithm>
#include <cmath>

#include "plot/figure.hpp"
#include "util/error.hpp"
#include "util/files.hpp"

namespace ctd {

namespace {
Array<double> need(const H5File& f, const std::string& name) {
  if (!f.has_dataset(name)) throw Error(f.name() + ": no dataset '" + name + "' to plot");
  Array<double> a = f.read<double>(name);
  if (a.rank() != 3 || a.size() == 0) throw Error(f.where(name) + " has shape " + shape_string(a.shape) + ": nothing to plot");
  require_finite(a, f.where(name));  // a figure would hide the gaps without a word
  return a;
}

// A posterior's quantity under ctd's name (SPLIT/name) or lfads-torch's (SPLIT_torch_name).
Array<double> posterior(const H5File& f, const std::string& split, const std::string& name, const std::string& torch_name) {
  const std::string t = split + "_" + torch_name;
  return need(f, f.has_dataset(t) && !f.has_dataset(split + "/" + name) ? t : split + "/" + name);
}

// A data file's counts of every unit (held-in first): ctd's SPLIT_data,
// lfads-torch's SPLIT_recon_data or NLB's held-in and held-out spikes side
// by side (its validation split is "eval"). Empty if the file has none.
Array<double> counts(const H5File& d, const std::string& split) {
  for (const std::string& n : {split + "_data", split + "_recon_data"})
    if (d.has_dataset(n)) return need(d, n);
  const std::string p = split == "valid" ? "eval" : split;
  if (!d.has_dataset(p + "_spikes_heldin")) return {};
  Array<double> in = need(d, p + "_spikes_heldin");
  if (!d.has_dataset(p + "_spikes_heldout")) return in;
  const Array<double> out = need(d, p + "_spikes_heldout");
  if (out.dim(0) != in.dim(0) || out.dim(1) != in.dim(1))
    throw Error(d.where(p + "_spikes_heldout") + " does not match " + p + "_spikes_heldin");
  return last_axis_concat(in, out);
}

// A data file a posterior names (its data_file attribute): a relative name was
// relative to where fit-lfads ran, so beside the posterior first, then here.
H5File recorded_file(const H5File& post, const std::string& recorded, const std::string& why) {
  if (recorded == "-" || recorded == "<stdin>")
    throw UsageError("the " + why + " come from the lfads data file, which the posterior read from stdin: give --data FILE");
  const auto slash = post.name().find_last_of('/');
  if (recorded[0] != '/' && slash != std::string::npos && post.name() != "<stdin>") {
    const std::string beside = post.name().substr(0, slash + 1) + recorded;
    if (file_exists(beside)) return H5File::open(beside);
  }
  if (!file_exists(recorded))
    throw Error(post.name() + ": its data_file '" + recorded + "' is neither beside it nor here: give --data FILE");
  return H5File::open(recorded);
}

// The lfads-data file the posterior came from: --data, else its data_file attribute.
H5File data_file(const H5File& post, const PlotRequest& r, const std::string& why) {
  if (!r.data.empty()) return H5File::open(r.data);
  const std::string recorded =
      post.has_attribute("data_file") && post.attribute_is_string("data_file") ? post.read_attribute_string("data_file") : "";
  if (recorded.empty()) throw UsageError("the " + why + " come from the lfads data file: give --data FILE");
  return recorded_file(post, recorded, why);
}

// Whether the posterior's model is Poisson (spike counts): files from before observation models are.
bool poisson_model(const H5File& f) {
  return !f.has_attribute("observation") || !f.attribute_is_string("observation") ||
         f.read_attribute_string("observation") == "poisson";
}

Figure session_rates(const H5File& f, const PlotRequest& r);

// Rates against the truth and the spikes, or for a model of continuous
// signals (calcium traces) its mean against the trace, the noise-free trace
// and the spikes behind it (simulate-calcium's *_spikes, on the right axis).
Figure rates(const H5File& f, const PlotRequest& r) {
  if (f.has_attribute("sessions")) return session_rates(f, r);
  const Array<double> rate = posterior(f, r.split, "rates", "output_params");
  const size_t B = rate.dim(0), T = rate.dim(1), D = rate.dim(2);
  const size_t b = size_t(pick(r.trials, {0}, B, "trial").front());
  const std::vector<int64_t> units = pick(r.units, {0, 1, 2, 3}, D, "neuron");
  const bool poisson = poisson_model(f);
  Array<double> truth, data, spikes;
  double cf = 1;
  bool has_data = !r.data.empty() || f.has_attribute("data_file");
  if (has_data) {
    H5File d = data_file(f, r, poisson ? "truth and spikes" : "traces and truth");
    data = counts(d, r.split);
    if (d.has_dataset(r.split + "_truth")) truth = need(d, r.split + "_truth");
    if (!poisson && d.has_dataset(r.split + "_spikes")) spikes = need(d, r.split + "_spikes");
    if (d.has_dataset("conversion_factor")) cf = d.read<double>("conversion_factor")[0];
    if (data.size() && (data.dim(0) != B || data.dim(1) != T || data.dim(2) != D))
      throw Error(d.name() + ": the " + r.split + " data have shape " + shape_string(data.shape) +
                  " but the posterior's rates are " + shape_string(rate.shape));
    if (truth.size() && truth.shape != rate.shape) truth = {};
    if (spikes.size() && spikes.shape != rate.shape) spikes = {};
  }
  const std::string inferred = poisson ? "inferred rate" : "inferred mean";
  Figure fig;
  const size_t cols = units.size() > 1 ? 2 : 1, rows = (units.size() + cols - 1) / cols;
  fig << "set multiplot layout " + std::to_string(rows) + "," + std::to_string(cols) + " title " +
             title_of(r, (poisson ? "inferred rates, trial " : "inferred means, trial ") + std::to_string(b) + " (" +
                             r.split + ")" + (truth.size() ? (poisson ? ", against the true rates" : ", against the noise-free trace") : ""));
  fig << "set key top left opaque box" << "set xlabel 'time bin'";
  if (spikes.size()) fig << "set y2label 'spikes'" << "set y2tics" << "set ytics nomirror";
  for (int64_t n : units) {
    DataBlock& d = fig.block("unit" + std::to_string(n));
    for (size_t t = 0; t < T; ++t) {
      const size_t i = (b * T + t) * D + size_t(n);
      d.row({double(t), rate[i], truth.size() ? truth[i] / cf : NAN, data.size() ? data[i] : NAN,
             spikes.size() ? spikes[i] : NAN});
    }
    const std::string ref = "$unit" + std::to_string(n);
    fig << "set ylabel " + label("neuron " + std::to_string(n) + (poisson ? ": spikes per bin" : ": signal"));
    std::string plot = "plot ";
    if (spikes.size()) plot += ref + " using 1:5 axes x1y2 with impulses lw 2 lc rgb '#dddddd' title 'spikes', ";
    if (data.size())
      plot += ref + (poisson ? " using 1:4 with impulses lw 2 lc rgb '#cccccc' title 'spikes', "
                             : " using 1:4 with lines lw 1 lc rgb '#999999' title 'trace', ");
    if (truth.size())
      plot += ref + " using 1:3 with lines lw 2 dt 2 lc rgb 'black' title " + label(poisson ? "true rate" : "noise-free trace") + ", ";
    fig << plot + ref + " using 1:2 with lines lw 2 lc rgb '#1f77b4' title " + label(inferred);
  }
  fig << "unset multiplot";
  return fig;
}

// A stitched model's posterior: one panel per session, the inferred rates of
// a few of its units in one trial, with the true rates of its data file (the
// posterior's data_file lists one per session) where it has them.
Figure session_rates(const H5File& f, const PlotRequest& r) {
  const std::vector<std::string> names = f.read_attribute_strings("sessions");
  std::vector<std::string> files;
  if (f.has_attribute("data_file") && f.attribute_is_string("data_file")) files = f.read_attribute_strings("data_file");
  Figure fig;
  fig << "set multiplot layout " + std::to_string(names.size()) + ",1 title " +
             title_of(r, "inferred rates of each session (" + r.split + ")" +
                             (files.size() == names.size() ? ", against the true rates" : ""));
  fig << "set key outside right top" << "set xlabel 'time bin'";
  for (size_t k = 0; k < names.size(); ++k) {
    const Array<double> rate = posterior(f, names[k] + "/" + r.split, "rates", "output_params");
    const size_t B = rate.dim(0), T = rate.dim(1), D = rate.dim(2);
    const size_t b = size_t(pick(r.trials, {0}, B, "trial").front());
    const std::vector<int64_t> units = pick(r.units, {0, 1, 2}, D, "neuron of session " + names[k]);
    Array<double> truth;
    double cf = 1;
    if (files.size() == names.size()) {
      H5File d = recorded_file(f, files[k], "true rates");
      if (d.has_dataset(r.split + "_truth")) truth = need(d, r.split + "_truth");
      if (d.has_dataset("conversion_factor")) cf = d.read<double>("conversion_factor")[0];
      if (truth.shape != rate.shape) truth = {};
    }
    DataBlock& d = fig.block("session" + std::to_string(k));
    for (size_t t = 0; t < T; ++t) {
      std::vector<double> row{double(t)};
      for (int64_t n : units) row.push_back(rate[(b * T + t) * D + size_t(n)]);
      for (int64_t n : units) row.push_back(truth.size() ? truth[(b * T + t) * D + size_t(n)] / cf : NAN);
      d.row(row);
    }
    const std::string ref = "$session" + std::to_string(k);
    fig << "set title " + label("session " + names[k] + ", trial " + std::to_string(b)) << "set ylabel 'spikes per bin'";
    // The inferred rates first, then each unit's true rate dashed in its colour (one key entry for them all).
    std::string plot = "plot ";
    for (size_t j = 0; j < units.size(); ++j)
      plot += (j ? ", " : "") + ref + " using 1:" + std::to_string(j + 2) + " with lines lw 2 lc " +
              std::to_string(j + 1) + " title " + label("neuron " + std::to_string(units[j]));
    for (size_t j = 0; j < units.size() && truth.size(); ++j)
      plot += ", " + ref + " using 1:" + std::to_string(units.size() + j + 2) + " with lines lw 1.5 dt 2 lc " +
              std::to_string(j + 1) + (j == 0 ? " title 'true rates (dashed)'" : " notitle");
    fig << plot;
  }
  fig << "unset multiplot";
  return fig;
}

Figure inputs(const H5File& f, const PlotRequest& r) {
  if (f.has_attribute("ii_dim") && !f.attribute_is_string("ii_dim") && f.read_attribute_doubles("ii_dim") == std::vector<double>{0})
    throw Error(f.name() + ": the model is autonomous (ii_dim = 0): it infers no inputs to draw");
  const Array<double> ii = posterior(f, r.split, "inferred_inputs", "co_means");
  const size_t B = ii.dim(0), T = ii.dim(1), I = ii.dim(2);
  const size_t b = size_t(pick(r.trials, {0}, B, "trial").front());
  Array<double> truth;
  std::string known = "true input";  // or the external input the model was given
  if (!r.data.empty() || f.has_attribute("data_file")) {
    H5File d = data_file(f, r, "true inputs");
    if (d.has_dataset(r.split + "_inputs")) {
      truth = need(d, r.split + "_inputs");
    } else if (d.has_dataset(r.split + "_ext_input")) {
      truth = need(d, r.split + "_ext_input");
      known = "external input";
    }
    if (truth.size() && (truth.dim(0) != B || truth.dim(1) != T)) truth = {};
  }
  const size_t U = truth.size() ? truth.dim(2) : 0;
  Figure fig;
  DataBlock& d = fig.block("inputs");
  for (size_t t = 0; t < T; ++t) {
    std::vector<double> row{double(t)};
    for (size_t k = 0; k < I; ++k) row.push_back(ii[(b * T + t) * I + k]);
    for (size_t u = 0; u < U; ++u) row.push_back(truth[(b * T + t) * U + u]);
    d.row(row);
  }
  fig << "set title " + title_of(r, "inferred inputs, trial " + std::to_string(b) + " (" + r.split + ")" +
                                        (U ? ", and the " + known + " (right axis)" : ""));
  fig << "set xlabel 'time bin'" << "set ylabel 'inferred input'" << "set key outside bottom center horizontal";
  if (U) fig << "set y2label " + label(known) << "set y2tics" << "set ytics nomirror";
  std::string plot = "plot ";
  for (size_t k = 0; k < I; ++k)
    plot += (k ? ", " : "") + std::string("$inputs using 1:") + std::to_string(k + 2) + " with lines lw 2 lc " +
            std::to_string(k + 1) + " title " + label("inferred input " + std::to_string(k));
  for (size_t u = 0; u < U; ++u)
    plot += ", $inputs using 1:" + std::to_string(I + u + 2) + " axes x1y2 with lines lw 2 dt 2 lc rgb 'black' title " +
            label(known + " " + std::to_string(u));
  fig << plot;
  return fig;
}

Figure factors(const H5File& f, const PlotRequest& r) {
  const Array<double> fac = posterior(f, r.split, "factors", "factors");
  const size_t B = fac.dim(0), T = fac.dim(1), F = fac.dim(2);
  const size_t b = size_t(pick(r.trials, {0}, B, "trial").front());
  Figure fig;
  DataBlock& d = fig.block("factors");
  for (size_t t = 0; t < T; ++t) {
    std::vector<double> row{double(t)};
    for (size_t k = 0; k < F; ++k) row.push_back(fac[(b * T + t) * F + k]);
    d.row(row);
  }
  fig << "set title " + title_of(r, "factors, trial " + std::to_string(b) + " (" + r.split + ")");
  fig << "set xlabel 'time bin'" << "set ylabel 'factor'" << "set key outside right top";
  std::string plot = "plot ";
  for (size_t k = 0; k < F; ++k)
    plot += (k ? ", " : "") + std::string("$factors using 1:") + std::to_string(k + 2) + " with lines lw 1.5 title " +
            label("factor " + std::to_string(k));
  fig << plot;
  return fig;
}
}  // namespace

std::vector<FigureKind> lfads_figures(const std::string& kind) {
  if (kind != "lfads-posterior") return {};
  return {{"rates", "inferred rates of a few neurons of one trial, with the true rates and spikes of the data file "
                    "(a model of calcium traces: its mean, the trace, the noise-free trace and the spikes; a "
                    "stitched model: a panel per session) (--trials, --units, --data)", rates},
          {"inputs", "inferred inputs of one trial with the true input of the data file (--trials, --data)", inputs},
          {"factors", "the factors of one trial (--trials)", factors},
          {"raster", "spike counts of one trial from the data file (--trials, --data)",
           [](const H5File& f, const PlotRequest& r) {
             H5File d = data_file(f, r, "spikes");
             const Array<double> c = counts(d, r.split);
             if (c.size() == 0) throw Error(d.name() + ": no " + r.split + " spike counts to plot");
             return spike_raster(c, r.split + " counts", r);
           }}};
}

}  // namespace ctd
