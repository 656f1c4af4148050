# frozen_string_literal: true

require_relative "ruby_jwt_lists"

# Loaded into a vendored ruby-jwt suite run (see bin/jwt-compat).
module RubyJwtSuite
  VERSION = ENV.fetch("RUBY_JWT_SUITE_VERSION")
  ROOT = File.expand_path("../..", __dir__)
  EXCLUDED = RubyJwtLists.excluded(VERSION)
  KNOWN = RubyJwtLists.known_failures(VERSION)
end

RSpec.configure do |config|
  config.before(:example) do |example|
    if (reason = RubyJwtSuite::EXCLUDED[example.id])
      skip("excluded: #{reason}")
    elsif (reason = RubyJwtSuite::KNOWN[example.id])
      pending("known incompatibility: #{reason}")
    end
  end
end

at_exit do
  gem_files = $LOADED_FEATURES.grep(%r{/jwt(/|\.rb\z)}).reject { |f| f.start_with?(RubyJwtSuite::ROOT) }
  unless gem_files.empty?
    warn "the jwt gem was loaded: #{gem_files.first(3).join(', ')}"
    exit!(1)
  end
end
