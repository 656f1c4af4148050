# frozen_string_literal: true

# Loads the compiled extension: a Ruby-version-specific build first (binary
# gems), then the one built from source.
begin
  ruby_version = RUBY_VERSION[/\d+\.\d+/]
  require_relative "#{ruby_version}/pipeline_guard"
rescue LoadError
  require "pipeline_guard/pipeline_guard"
end
