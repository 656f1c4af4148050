# frozen_string_literal: true

require_relative "lib/pipeline_guard/version"

Gem::Specification.new do |spec|
  spec.name = "pipeline_guard"
  spec.version = PipelineGuard::VERSION
  spec.summary = "Native keyrings, JWT and OpenBao ACL/RBAC checks for Rails secrets managers"
  spec.description = <<~DESC
    A Rust core for the security hot paths of a CI/CD secrets manager: AES-256-GCM
    keyrings byte-compatible with OpenBao transit, JWT minting and verification that
    behaves like OpenBao's JWT auth plus a drop-in for the jwt gem, and OpenBao ACL
    policy evaluation identical to sys/capabilities.
  DESC
  spec.license = "MIT"
  spec.authors = ["pipeline_guard contributors"]
  spec.homepage = "https://example.invalid/pipeline_guard"
  spec.required_ruby_version = ">= 3.1"
  spec.files = Dir["lib/**/*.rb", "sig/**/*.rbs", "ext/**/*.{rs,rb,toml}", "core/**/*.{rs,toml}",
                   "Cargo.toml", "Cargo.lock", "README.md", "CHANGELOG.md", "SECURITY.md", "LICENSE"]
  spec.require_paths = ["lib"]
  spec.extensions = ["ext/pipeline_guard/extconf.rb"]
  spec.metadata["rubygems_mfa_required"] = "true"
end
