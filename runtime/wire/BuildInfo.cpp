// A node binary's build information (see BuildInfo.h).
#include "runtime/wire/BuildInfo.h"

#include "runtime/wire/Value.h"
#include "runtime/wire/Version.h"

#include <cstdio>

namespace mommie::rt {

namespace {

std::string paramText(const std::pair<std::string, int64_t> &p) {
  return p.first + " = " + std::to_string(p.second);
}

} // namespace

std::string versionText(const std::string &protocol,
                        const ParamValues &params) {
  std::string out = protocol + " built by mommie " + kVersion;
  for (size_t i = 0; i < params.size(); ++i)
    out += (i ? ", " : " with ") + paramText(params[i]);
  return out + "\n";
}

std::string infoText(const std::string &protocol, const ParamValues &params,
                     const std::vector<std::string> &principals) {
  std::string out = "protocol " + protocol + "\nmommie " + kVersion + "\n";
  for (const auto &p : params)
    out += "param " + paramText(p) + "\n";
  out += "principals";
  for (const auto &p : principals)
    out += " " + p;
  return out + "\n";
}

std::string traceHeaderJson(const std::string &protocol,
                            const ParamValues &params) {
  std::string out = "\"protocol\":";
  appendJsonString(out, protocol);
  out += ",\"mommie\":";
  appendJsonString(out, kVersion);
  out += ",\"params\":{";
  for (size_t i = 0; i < params.size(); ++i) {
    if (i)
      out += ',';
    appendJsonString(out, params[i].first);
    out += ':' + std::to_string(params[i].second);
  }
  return out + "}";
}

bool printBuildInfo(const std::string &flag, const std::string &protocol,
                    const ParamValues &params,
                    const std::vector<std::string> &principals) {
  std::string text;
  if (flag == "--version")
    text = versionText(protocol, params);
  else if (flag == "--info")
    text = infoText(protocol, params, principals);
  else
    return false;
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
  return true;
}

} // namespace mommie::rt
