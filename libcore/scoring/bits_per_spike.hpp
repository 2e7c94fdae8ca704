// NLB's bits per spike (docs/methods.md §8): how much better than each
// unit's mean count a prediction explains the spikes, in bits per spike.
#pragma once
#include "io/hdf5.hpp"

namespace ctd {

// rates and spikes [B,T,N], the same shape; rates in expected counts per bin.
// (NLL(mean) − NLL(rates)) / (Σ spikes · ln 2), NLL(r) = Σ r − y ln r (the
// ln y! terms cancel), `mean` each unit's mean count over every trial and
// bin. Entries whose spike count is NaN (bins a trial does not have) are left
// out everywhere. A rate of 0 counts as 1e-9 (as nlb_tools); a NaN rate where
// there is a count, or a negative rate, is an Error naming `what`. NaN when
// the units hold no spike.
double bits_per_spike(const Array<double>& rates, const Array<double>& spikes, const std::string& what);

}  // namespace ctd
