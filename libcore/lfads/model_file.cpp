#include "lfads/model_file.hpp"

#include "lfads/sessions.hpp"
#include "util/error.hpp"
#include "util/printable.hpp"

namespace ctd {

void write_lfads_model(H5File& out, const LfadsSpec& s, const AlignedVector<float>& params) {
  for (const auto& e : lfads_layout(s)) out.write(e.name, e.shape, params.data() + e.offset);
  if (!s.location.empty()) out.write("obs/location", Shape{s.location.size()}, s.location.data());
  for (const LfadsSession& one : s.sessions)
    if (!one.location.empty())
      out.write("sessions/" + one.name + "/obs/location", Shape{one.location.size()}, one.location.data());
  write_lfads_spec(out, s);
}

void write_lfads_spec(H5File& out, const LfadsSpec& s) {
  out.write_attribute("D", int64_t(s.D));
  out.write_attribute("D_in", int64_t(s.held_in));
  out.write_attribute("ext_dim", int64_t(s.ext));
  out.write_attribute("enc_dim", int64_t(s.enc));
  if (s.separate_encoders() || s.ci_lag > 0) {  // absent: the tutorial's shared encoder
    out.write_attribute("ic_enc_dim", int64_t(s.ic_enc));
    out.write_attribute("ci_enc_dim", int64_t(s.ci_enc));
    out.write_attribute("ic_enc_seq_len", int64_t(s.ic_enc_seq_len));
    out.write_attribute("ci_lag", int64_t(s.ci_lag));
  }
  out.write_attribute("con_dim", int64_t(s.con));
  out.write_attribute("ii_dim", int64_t(s.ii));
  out.write_attribute("gen_dim", int64_t(s.gen));
  out.write_attribute("factors_dim", int64_t(s.factors));
  out.write_attribute("keep_rate", s.keep);
  out.write_attribute("cd_rate", s.cd_rate);
  out.write_attribute("sample_validation", s.sample_validation);
  out.write_attribute("varmin", s.varmin);
  out.write_attribute("bfg", s.bfg);
  out.write_attribute("observation", s.observation);
  out.write_attribute("gen_dropout", s.gen_dropout);
  if (s.readin > 0) out.write_attribute("readin_dim", int64_t(s.readin));
  if (s.forward_bins > 0) out.write_attribute("forward_bins", int64_t(s.forward_bins));
  if (s.readout_decay > 0) out.write_attribute("readout_decay", s.readout_decay);
  if (s.readout_rise > 0) out.write_attribute("readout_rise", s.readout_rise);
  if (s.sessions.empty()) return;
  // A stitched model: D and D_in are the sums; each session's own in its group.
  std::vector<std::string> names;
  for (const LfadsSession& one : s.sessions) {
    names.push_back(one.name);
    out.create_group("sessions/" + one.name);
    out.write_attribute("D", int64_t(one.D), "sessions/" + one.name);
    out.write_attribute("D_in", int64_t(one.held_in), "sessions/" + one.name);
  }
  out.write_attribute("sessions", names);
}

LfadsModel read_lfads_model(const H5File& in) {
  for (const char* a : {"D", "enc_dim", "con_dim", "ii_dim", "gen_dim", "factors_dim"})
    if (!in.has_attribute(a)) throw Error(in.name() + ": not an LFADS model file (no attribute '" + a + "')");
  LfadsModel m;
  LfadsSpec& s = m.spec;
  s.D = int(in.read_attribute_in("D", 1, 1e6));
  // Files from before held-out units and external inputs encode all D units and have none.
  s.held_in = in.has_attribute("D_in") ? int(in.read_attribute_in("D_in", 1, s.D)) : s.D;
  s.ext = in.has_attribute("ext_dim") ? int(in.read_attribute_in("ext_dim", 0, 1e6)) : 0;
  s.enc = int(in.read_attribute_in("enc_dim", 1, 1e6));
  auto optional_size = [&](const char* name, int& into) {
    if (in.has_attribute(name)) into = int(in.read_attribute_in(name, 0, 1e6));
  };
  optional_size("ic_enc_dim", s.ic_enc);
  optional_size("ci_enc_dim", s.ci_enc);
  optional_size("ic_enc_seq_len", s.ic_enc_seq_len);
  optional_size("ci_lag", s.ci_lag);
  s.con = int(in.read_attribute_in("con_dim", 1, 1e6));
  s.ii = int(in.read_attribute_in("ii_dim", 0, 1e6));
  s.gen = int(in.read_attribute_in("gen_dim", 1, 1e6));
  s.factors = int(in.read_attribute_in("factors_dim", 1, 1e6));
  if (in.has_attribute("keep_rate")) s.keep = in.read_attribute_in("keep_rate", 1e-3, 1);
  if (in.has_attribute("cd_rate")) s.cd_rate = in.read_attribute_in("cd_rate", 0, 0.99);
  if (in.has_attribute("sample_validation"))
    s.sample_validation = in.read_attribute_in("sample_validation", 0, 0.99);
  if (in.has_attribute("varmin")) s.varmin = in.read_attribute_in("varmin", 1e-12, 1e6);
  if (in.has_attribute("bfg")) s.bfg = in.read_attribute_in("bfg", -1e3, 1e3);
  if (in.has_attribute("observation")) {  // files from before observation models are Poisson
    s.observation = in.read_attribute_string("observation");
    try {
      parse_observation(s.observation);
    } catch (const UsageError& e) {
      throw Error(in.name() + ": attribute 'observation': " + e.what());
    }
  }
  if (in.has_attribute("gen_dropout")) {  // files from before the choice: the tutorial's
    s.gen_dropout = in.read_attribute_string("gen_dropout");
    if (s.gen_dropout != "state" && s.gen_dropout != "factors")
      throw Error(in.name() + ": attribute 'gen_dropout' must be 'state' or 'factors', got '" +
                  printable(s.gen_dropout) + "'");
  }
  const bool zig = parse_observation(s.observation) == Observation::ZeroInflatedGamma;
  auto read_location = [&](const std::string& path, int D) {
    Array<float> loc = in.read_finite(path, "[D]");
    if (loc.shape != Shape{size_t(D)})
      throw Error(in.where(path) + " has shape " + shape_string(loc.shape) + " but the model has " +
                  std::to_string(D) + " units there");
    for (float v : loc.data)
      if (v < 0) throw Error(in.where(path) + " holds a negative location");
    return loc.data;
  };
  if (in.has_attribute("readin_dim")) s.readin = int(in.read_attribute_in("readin_dim", 0, 1e6));
  if (in.has_attribute("forward_bins")) s.forward_bins = int(in.read_attribute_in("forward_bins", 0, 1e6));
  if (in.has_attribute("readout_decay")) s.readout_decay = in.read_attribute_in("readout_decay", 0, 1e6);
  if (in.has_attribute("readout_rise")) s.readout_rise = in.read_attribute_in("readout_rise", 0, 1e6);
  if (s.readout_rise > 0 && s.readout_decay <= 0)
    throw Error(in.name() + ": attribute 'readout_rise' without a positive 'readout_decay'");
  if (in.has_attribute("sessions")) {
    if (s.readin < 1) throw Error(in.name() + ": a stitched model (attribute 'sessions') needs readin_dim >= 1");
    for (const std::string& name : in.read_attribute_strings("sessions")) {
      require_session_name(name, in.name() + ": attribute 'sessions'");
      for (const LfadsSession& other : s.sessions)
        if (other.name == name) throw Error(in.name() + ": session '" + name + "' is named twice");
      LfadsSession one;
      one.name = name;
      const std::string group = "sessions/" + name;
      one.D = int(in.read_attribute_in("D", 1, 1e6, group));
      one.held_in = int(in.read_attribute_in("D_in", 1, one.D, group));
      if (zig) one.location = read_location(group + "/obs/location", one.D);
      s.sessions.push_back(std::move(one));
    }
    if (s.sessions.empty()) throw Error(in.name() + ": attribute 'sessions' names no session");
    int D = 0, held_in = 0;
    for (const LfadsSession& one : s.sessions) D += one.D, held_in += one.held_in;
    if (D != s.D || held_in != s.held_in)
      throw Error(in.name() + ": attributes D and D_in (" + std::to_string(s.D) + ", " + std::to_string(s.held_in) +
                  ") are not the sums over the sessions (" + std::to_string(D) + ", " + std::to_string(held_in) + ")");
  } else if (zig) {
    s.location = read_location("obs/location", s.D);
  }
  if (in.has_attribute("valid_fraction")) m.valid_fraction = in.read_attribute_in("valid_fraction", 0, 0.99);
  m.params.resize(lfads_param_count(s));
  for (const auto& e : lfads_layout(s)) {
    Array<float> a = in.read<float>(e.name);
    if (a.shape != e.shape)
      throw Error(in.where(e.name) + " has shape " + shape_string(a.shape) + " but " + shape_string(e.shape) +
                  " is required");
    require_finite(a, in.where(e.name));
    std::copy(a.data.begin(), a.data.end(), m.params.begin() + long(e.offset));
  }
  return m;
}

LfadsReadOptions reading_of(const LfadsModel& model, size_t session) {
  LfadsReadOptions r;
  r.valid_fraction = model.valid_fraction;
  r.hold_out = session_view(model.spec, session).held_out();
  r.from_model = true;
  r.observation = model.spec.observation;
  r.forward_bins = model.spec.forward_bins;
  return r;
}

}  // namespace ctd
