# frozen_string_literal: true

# Builds the Rust extension. With the rb_sys gem (normal `gem install`) its
# mkmf integration drives cargo; without it (Debian, no RubyGems access) a
# small Makefile runs cargo directly and installs the shared library.
require "mkmf"

begin
  require "rb_sys/mkmf"
  create_rust_makefile("pipeline_guard/pipeline_guard")
rescue LoadError
  crate_dir = File.expand_path(__dir__)
  workspace = File.expand_path("../..", crate_dir)
  dlext = RbConfig::CONFIG["DLEXT"]
  lib_name = RUBY_PLATFORM.include?("darwin") ? "libpipeline_guard.dylib" : "libpipeline_guard.so"
  target_dir = File.join(workspace, "target")
  File.write("Makefile", <<~MAKE)
    RUBYARCHDIR = #{RbConfig::CONFIG["sitearchdir"]}
    all:
    \tcargo build --release --manifest-path #{File.join(crate_dir, "Cargo.toml")} --target-dir #{target_dir}
    \tmkdir -p pipeline_guard
    \tcp #{File.join(target_dir, "release", lib_name)} pipeline_guard/pipeline_guard.#{dlext}
    install: all
    \tmkdir -p $(DESTDIR)$(RUBYARCHDIR)/pipeline_guard
    \tcp pipeline_guard/pipeline_guard.#{dlext} $(DESTDIR)$(RUBYARCHDIR)/pipeline_guard/
    clean:
    \trm -rf pipeline_guard
  MAKE
end
