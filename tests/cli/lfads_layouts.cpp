// Test helper: rewrites a file in ctd's LFADS layout in lfads-torch's and
// NLB's layouts, the last HELD_OUT units held out, so that the end-to-end
// tests can feed fit-lfads every layout (Debian has no h5py in CI).
//   lfads-layouts IN.h5 HELD_OUT OUTDIR   → OUTDIR/torch.h5, OUTDIR/nlb.h5
// torch.h5 also gets *_inds (the trial numbers + 1000, so indices differ from
// rows) and, where IN has *_inputs, those as *_ext_input.
#include <cstdio>
#include <string>

#include "io/output.hpp"
#include "lfads/data.hpp"

using namespace ctd;

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: lfads-layouts IN.h5 HELD_OUT OUTDIR\n");
    return 2;
  }
  try {
    const LfadsData d = read_lfads_data(H5File::open(argv[1]));
    const size_t D = d.train.data.dim(2), Din = D - std::stoul(argv[2]);
    const std::string dir = argv[3];
    OutputFile torch(dir + "/torch.h5"), nlb(dir + "/nlb.h5");
    for (const auto& [split, s] : {std::pair<std::string, const LfadsSplit*>{"train", &d.train}, {"valid", &d.valid}}) {
      torch.h5().write(split + "_encod_data", last_axis_slice(s->data, 0, Din));
      torch.h5().write(split + "_recon_data", s->data);
      if (s->truth.size()) torch.h5().write(split + "_truth", s->truth);
      if (s->inputs.size()) torch.h5().write(split + "_ext_input", s->inputs);
      std::vector<int64_t> inds = s->inds;
      for (auto& i : inds) i += 1000;
      torch.h5().write(split + "_inds", Shape{inds.size()}, inds.data());
      const std::string nlb_split = split == "train" ? "train" : "eval";
      nlb.h5().write(nlb_split + "_spikes_heldin", last_axis_slice(s->data, 0, Din));
      nlb.h5().write(nlb_split + "_spikes_heldout", last_axis_slice(s->data, Din, D));
    }
    if (d.conversion_factor > 0) torch.h5().write("conversion_factor", Shape{1}, &d.conversion_factor);
    torch.commit();
    nlb.commit();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "lfads-layouts: %s\n", e.what());
    return 1;
  }
  return 0;
}
