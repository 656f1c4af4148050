# frozen_string_literal: true

# Builds the Rust extension for `gem install` / `rake compile`.
#
# With the rb_sys gem (a runtime dependency, so present on normal installs)
# its mkmf integration drives cargo and removes its target directory after
# `gem install`. Without it (machines with no RubyGems access, where Ruby and
# gems come from Debian) the Makefile written below runs cargo itself, in a
# temporary target directory that is removed once the shared library is
# copied out. Either way the installed gem holds the one shared library, not
# the hundreds of megabytes of a cargo target directory.
#
# Honoured by both paths:
# - a vendored crate directory `ext/pipeline_guard/cargo-vendor/` (made by
#   `rake pkg:vendored`): the build then runs with `--offline`;
# - CARGO_HOME, CARGO_NET_OFFLINE and cargo's own configuration files, read
#   by cargo itself; CARGO names the cargo binary;
# - Cargo.lock: builds run with `--locked`, so what is built is what was tested.
# The fallback also honours CARGO_TARGET_DIR: when set, cargo builds there
# (a cache shared between builds, left in place) instead of a temporary
# directory.
require "mkmf"
require "shellwords"

if RUBY_PLATFORM.match?(/mswin|mingw/)
  abort "pipeline_guard builds on Unix-like systems only (Linux, macOS): its fork handling uses pthread_atfork"
end

crate_dir = File.expand_path(__dir__)
dlext = RbConfig::CONFIG["DLEXT"]
vendor_dir = File.join(crate_dir, "cargo-vendor")
cargo_args = ["--locked"]
if File.directory?(vendor_dir)
  # Source replacement given on the command line rather than in a
  # .cargo/config.toml, so it applies whatever directory cargo runs from.
  cargo_args += ["--offline",
                 "--config", 'source.crates-io.replace-with="vendored-sources"',
                 "--config", "source.vendored-sources.directory='#{vendor_dir}'"]
end

begin
  require "rb_sys/mkmf"
rescue LoadError
  rb_sys = false
else
  rb_sys = true
end

if rb_sys
  create_rust_makefile("pipeline_guard/pipeline_guard") do |ext|
    # rb_sys joins these with spaces into a shell command line.
    ext.extra_cargo_args += cargo_args.map { |arg| Shellwords.escape(arg) }
    # After `gem install` rb_sys deletes target/release/ and cargo-vendor/;
    # this also drops the rest of target/ and the build directory's copy of
    # the library (the installed copies are the ones loaded).
    ext.rubygems_clean_dirs += ["./target", "./pipeline_guard.#{dlext}"]
  end
else
  if RUBY_PLATFORM.include?("darwin")
    # A macOS bundle links with `-undefined dynamic_lookup`, which rb_sys passes
    # to rustc; this fallback is for the Linux machines that lack rb_sys.
    abort "pipeline_guard needs the rb_sys gem to build on macOS: gem install rb_sys"
  end
  cargo = ENV.fetch("CARGO", "cargo")
  unless find_executable(cargo)
    abort "pipeline_guard needs a Rust toolchain to build: `#{cargo}` was not found (install Rust >= 1.80, " \
          "e.g. from https://rustup.rs, or set CARGO)"
  end

  # rb-sys's build script asks `ruby` (or $RUBY) for the Ruby to build
  # against: point it at the Ruby running this install when PATH's differs.
  # Left unset otherwise, since a change of RUBY makes cargo rebuild rb-sys.
  path_ruby = find_executable("ruby")
  same_ruby = path_ruby && File.realpath(path_ruby) == File.realpath(RbConfig.ruby)
  ruby_export = ENV.key?("RUBY") || same_ruby ? "" : "export RUBY = #{RbConfig.ruby.shellescape}"
  # Shell words for a Makefile recipe: make reads `$` itself.
  cargo_command = [cargo, "build", "--release", *cargo_args,
                   "--manifest-path", File.join(crate_dir, "Cargo.toml")].shelljoin.gsub("$", "$$")
  vendor_word = vendor_dir.shellescape.gsub("$", "$$")
  sitearchdir = RbConfig::CONFIG.fetch("sitearchdir")

  # RubyGems runs `make clean`, `make` and `make install` in turn, with
  # sitearchdir pointing into the gem's own directories. The library target
  # has no prerequisites, so `make install` does not rebuild from an empty
  # temporary directory; `make clean` forces the next build. `install` then
  # drops what the installed gem no longer needs, as rb_sys does: the build
  # directory's copy of the library and the vendored crate sources.
  File.write("Makefile", <<~MAKE)
    SHELL = /bin/sh
    sitearchdir = #{sitearchdir}
    RUBYARCHDIR = $(sitearchdir)/pipeline_guard
    DLLIB = pipeline_guard.#{dlext}
    RUST_LIB = libpipeline_guard.so
    #{ruby_export}

    # RubyGems exports SOURCE_DATE_EPOCH (the install time) to every build.
    # Nothing built here embeds a date, but aws-lc-sys redoes its C build
    # whenever the value changes, which would defeat a shared CARGO_TARGET_DIR.
    ifneq ($(CARGO_TARGET_DIR),)
    unexport SOURCE_DATE_EPOCH
    endif

    all: $(DLLIB)

    $(DLLIB):
    \t@set -e; \\
    \tif [ -n "$$CARGO_TARGET_DIR" ]; then dir="$$CARGO_TARGET_DIR"; else \\
    \t  dir=$$(mktemp -d "$${TMPDIR:-/tmp}/pipeline_guard-cargo.XXXXXX"); \\
    \t  trap 'rm -rf "$$dir"' EXIT INT TERM; \\
    \tfi; \\
    \techo "building the pipeline_guard extension with cargo (release) in $$dir"; \\
    \t#{cargo_command} --target-dir "$$dir"; \\
    \tcp "$$dir/release/$(RUST_LIB)" $(DLLIB).tmp; \\
    \tmv $(DLLIB).tmp $(DLLIB)

    install: $(DLLIB)
    \tmkdir -p "$(DESTDIR)$(RUBYARCHDIR)"
    \tcp $(DLLIB) "$(DESTDIR)$(RUBYARCHDIR)/$(DLLIB)"
    \trm -rf $(DLLIB) #{vendor_word}

    clean:
    \trm -f $(DLLIB) $(DLLIB).tmp

    .PHONY: all install clean
  MAKE
end
