// The figures' test helper: facts about an image that a test can assert on,
// with no image library.
//   image-check png FILE   prints "WIDTH HEIGHT INK COLOURS": INK is the share
//                          of pixels that differ from the corner (background)
//                          pixel, COLOURS the distinct colours (capped at 1000)
//   image-check svg FILE   exits 0 when FILE is well-formed XML with an <svg> root
// Reads 8-bit RGB/RGBA non-interlaced PNGs, which is what cairo writes.
#include <zlib.h>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <set>
#include <string>
#include <vector>

namespace {
int fail(const std::string& why) {
  std::cerr << "image-check: " << why << "\n";
  return 1;
}

uint32_t be32(const unsigned char* p) { return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | p[3]; }

int paeth(int a, int b, int c) {
  int p = a + b - c, pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

int check_png(const std::string& bytes) {
  const auto* d = reinterpret_cast<const unsigned char*>(bytes.data());
  if (bytes.size() < 33 || bytes.compare(0, 8, "\x89PNG\r\n\x1a\n") != 0) return fail("not a PNG");
  uint32_t width = 0, height = 0;
  int channels = 0;
  std::string idat;
  for (size_t at = 8; at + 12 <= bytes.size();) {
    const uint32_t len = be32(d + at);
    const std::string type = bytes.substr(at + 4, 4);
    if (at + 12 + len > bytes.size()) return fail("truncated chunk " + type);
    const unsigned char* body = d + at + 8;
    if (type == "IHDR") {
      width = be32(body);
      height = be32(body + 4);
      if (body[8] != 8 || body[12] != 0) return fail("not an 8-bit non-interlaced PNG");
      channels = body[9] == 2 ? 3 : body[9] == 6 ? 4 : 0;
      if (!channels) return fail("colour type " + std::to_string(body[9]) + " is not RGB or RGBA");
    } else if (type == "IDAT") {
      idat.append(reinterpret_cast<const char*>(body), len);
    }
    at += 12 + len;
  }
  const size_t stride = size_t(width) * channels;
  std::vector<unsigned char> raw((stride + 1) * height);
  uLongf size = raw.size();
  if (uncompress(raw.data(), &size, reinterpret_cast<const Bytef*>(idat.data()), idat.size()) != Z_OK || size != raw.size())
    return fail("cannot inflate the image data");
  std::vector<unsigned char> img(stride * height), prev(stride, 0);
  for (uint32_t y = 0; y < height; ++y) {
    const unsigned char filter = raw[y * (stride + 1)];
    const unsigned char* in = &raw[y * (stride + 1) + 1];
    unsigned char* out = &img[y * stride];
    for (size_t x = 0; x < stride; ++x) {
      const int a = x >= size_t(channels) ? out[x - channels] : 0, b = prev[x], c = x >= size_t(channels) ? prev[x - channels] : 0;
      const int pred = filter == 0 ? 0 : filter == 1 ? a : filter == 2 ? b : filter == 3 ? (a + b) / 2 : paeth(a, b, c);
      if (filter > 4) return fail("bad filter");
      out[x] = static_cast<unsigned char>(in[x] + pred);
    }
    std::copy(out, out + stride, prev.begin());
  }
  auto pixel = [&](size_t i) {
    uint32_t v = 0;
    for (int k = 0; k < channels; ++k) v = v << 8 | img[i * channels + k];
    return v;
  };
  const uint32_t background = pixel(0);
  size_t ink = 0;
  std::set<uint32_t> colours;
  for (size_t i = 0; i < size_t(width) * height; ++i) {
    const uint32_t p = pixel(i);
    ink += p != background;
    if (colours.size() < 1000) colours.insert(p);
  }
  std::printf("%u %u %.4f %zu\n", width, height, double(ink) / (double(width) * height), colours.size());
  return 0;
}

// Well-formed enough for a browser: every tag closed in order, one root <svg>.
int check_svg(const std::string& text) {
  std::vector<std::string> open;
  bool root = false;
  for (size_t at = text.find('<'); at != std::string::npos; at = text.find('<', at + 1)) {
    if (text.compare(at, 4, "<!--") == 0) {
      at = text.find("-->", at);
      if (at == std::string::npos) return fail("unclosed comment");
      continue;
    }
    if (text.compare(at, 9, "<![CDATA[") == 0) {
      at = text.find("]]>", at);
      if (at == std::string::npos) return fail("unclosed CDATA");
      continue;
    }
    const size_t end = text.find('>', at);
    if (end == std::string::npos) return fail("unclosed tag");
    std::string tag = text.substr(at + 1, end - at - 1);
    if (tag.empty() || tag[0] == '?' || tag[0] == '!') continue;
    if (tag[0] == '/') {
      const std::string name = tag.substr(1, tag.find_first_of(" \t\n") - 1);
      if (open.empty() || open.back() != name) return fail("</" + name + "> closes " + (open.empty() ? "nothing" : "<" + open.back() + ">"));
      open.pop_back();
      continue;
    }
    const std::string name = tag.substr(0, tag.find_first_of(" \t\n/"));
    if (open.empty()) {
      if (root || name != "svg") return fail("the root element is <" + name + ">, not one <svg>");
      root = true;
    }
    if (tag.back() != '/') open.push_back(name);
  }
  if (!root) return fail("no <svg> element");
  if (!open.empty()) return fail("<" + open.back() + "> is never closed");
  return 0;
}
}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) return fail("usage: image-check png|svg FILE");
  std::ifstream in(argv[2], std::ios::binary);
  if (!in) return fail(std::string(argv[2]) + ": cannot read");
  const std::string bytes((std::istreambuf_iterator<char>(in)), {});
  const std::string kind = argv[1];
  return kind == "png" ? check_png(bytes) : kind == "svg" ? check_svg(bytes) : fail("usage: image-check png|svg FILE");
}
