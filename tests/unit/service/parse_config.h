// The config tests' input: a ServerConfig from text format with the
// defaults applied, as the server reads its --config file.

#ifndef LUREGUARD_TESTS_UNIT_SERVICE_PARSE_CONFIG_H_
#define LUREGUARD_TESTS_UNIT_SERVICE_PARSE_CONFIG_H_

#include <string>

#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "lureguard/v1/config.pb.h"
#include "server/service/config.h"

namespace lureguard::service {

inline v1::ServerConfig ParseConfig(const std::string& text) {
  v1::ServerConfig config;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &config))
      << text;
  ApplyDefaults(config);
  return config;
}

}  // namespace lureguard::service

#endif  // LUREGUARD_TESTS_UNIT_SERVICE_PARSE_CONFIG_H_
