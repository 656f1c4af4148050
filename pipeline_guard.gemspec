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

  # A source gem: the extension is compiled at install time. Unix-like
  # systems only (see docs/install.md); extconf.rb refuses Windows.
  spec.platform = Gem::Platform::RUBY
  spec.required_ruby_version = ">= 3.1"
  spec.requirements << "Rust toolchain >= 1.86 (cargo) and libclang, to compile the extension"
  spec.requirements << "Linux or macOS (the extension uses pthread_atfork)"

  # What `gem install` compiles and what `cargo vendor` reads: the workspace
  # manifest and lock file, both crates' manifests and sources (the bench and
  # the feature-gated integration tests the core manifest declares, too: cargo
  # refuses a manifest whose declared targets are missing). Not shipped: cargo
  # target directories, built libraries, fuzzing harnesses and findings, specs.
  spec.files = Dir["lib/**/*.rb", "sig/**/*.rbs",
                   "Cargo.toml", "Cargo.lock",
                   "ext/pipeline_guard/{Cargo.toml,extconf.rb}", "ext/pipeline_guard/src/**/*",
                   "core/Cargo.toml", "core/src/**/*", "core/benches/**/*", "core/tests/**/*.rs",
                   "README.md", "CHANGELOG.md", "SECURITY.md", "LICENSE", "docs/*.md"]
               .reject { |f| File.directory?(f) || f.match?(/\.(so|bundle|dylib|dll|o|a)\z/) }
  spec.require_paths = ["lib"]
  spec.extensions = ["ext/pipeline_guard/extconf.rb"]

  # Drives cargo from extconf.rb on normal installs. RubyGems has no build-time
  # dependencies, so like every rb-sys gem this is a runtime one. 0.9.45 is the
  # first release that removes both its cargo target and vendored crates
  # after `gem install`.
  spec.add_dependency "rb_sys", "~> 0.9", ">= 0.9.45"

  spec.metadata["cargo_crate_name"] = "pipeline_guard"
  spec.metadata["rubygems_mfa_required"] = "true"
end
