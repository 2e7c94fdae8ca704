// Several recording sessions in one LFADS fit ("stitching", Pandarinath et al.
// 2018; docs/methods.md §4 "Several sessions"): each session has its own units
// and trials; a read-in per session maps its held-in units into one shared
// space the encoders read, a readout per session maps the shared factors to its
// units. Generator, controller, encoders and factors are shared.
#pragma once
#include <string>
#include <vector>

#include "lfads/data.hpp"
#include "lfads/model.hpp"

namespace ctd {

struct LfadsSessionData {
  std::string name;  // the session's name in the model and the posterior
  std::string file;  // where its data came from (messages)
  LfadsData data;
};

// A session name: letters, digits, '_', '-' and '.', not starting with '.'
// (it names HDF5 groups and datasets, and appears in figures and messages).
// Throws Error naming `where` otherwise.
void require_session_name(const std::string& name, const std::string& where);
// A name from a data file's path: its base name without .h5/.hdf5, any other
// character replaced by '_'.
std::string session_name_of_file(const std::string& path);

// Each file one session, named by `names` (empty: from the file names).
std::vector<LfadsSessionData> read_sessions(const std::vector<std::string>& files,
                                            const std::vector<std::string>& names, const LfadsReadOptions& reading);

// Checks what stitching needs: unique names, the same bins per trial, the same
// external inputs, training and validation trials in every session. One error
// naming the session otherwise.
void check_sessions(const std::vector<LfadsSessionData>& sessions);

// spec.sessions (names, units, held-in units) from the data; D and held_in the sums.
void set_sessions(LfadsSpec& spec, const std::vector<LfadsSessionData>& sessions);

// Principal-components regression (the paper's initialisation of the
// read-ins): each session's mean held-in activity per condition and bin (per
// bin alone without *_conditions), smoothed in time by a Gaussian of
// `smooth_sd` bins (0: not), standardised per unit; the leading
// spec.readin principal components of all sessions' units together; each
// session's read-in the ridge regression of those components on its own
// units, its bias centring them; then all scaled by one factor to a mean
// variance of 1 over the single trials. Components beyond what the data
// spans keep their random initialisation.
void init_readins_pcr(const LfadsSpec& spec, const std::vector<LfadsSessionData>& sessions, double smooth_sd,
                      float* params);

}  // namespace ctd
