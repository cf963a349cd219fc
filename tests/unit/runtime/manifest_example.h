//===- manifest_example.h - A manifest for the runtime's tests --*- C++ -*-===//
//
// The documented example manifest (an f32 classifier with every tensor list
// and entry point), an f64 variant of it, and the error a malformed manifest
// is rejected with. Tests edit copies of these to build the broken cases
// they need.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_TESTS_UNIT_RUNTIME_MANIFEST_EXAMPLE_H
#define KILN_TESTS_UNIT_RUNTIME_MANIFEST_EXAMPLE_H

#include <nlohmann/json.hpp>

#include <string>

namespace kiln::test {

/// The example manifest of docs/abi.md, as JSON text.
extern const char *const kExampleManifest;

/// The example as an f64 logistic regression on synthetic_logistic: f64
/// input, params and state, f64 [batch] targets without classes.
nlohmann::json f64ExampleManifest();

/// What parseManifest throws for `manifest`; a test failure if it parses.
std::string manifestError(const nlohmann::json &manifest);

} // namespace kiln::test

#endif // KILN_TESTS_UNIT_RUNTIME_MANIFEST_EXAMPLE_H
