# frozen_string_literal: true

require "pipeline_guard/rails"
require "pipeline_guard/graphql"
require "pipeline_guard/rspec"

# The RBS signatures under sig/ must parse, resolve, and describe methods
# that exist: every instance and singleton method declared for a class or
# module is checked against the loaded gem.
RSpec.describe "RBS signatures" do
  let(:env) do
    # Required here, not at file load: Debian's rbs 2.1.0 parser caches Ruby
    # constants in C globals that GC.compact (keyring_spec) leaves stale, so
    # it must initialise after any compaction. Example groups run as a unit,
    # so nothing compacts between this require and the parse.
    require "rbs"
    loader = RBS::EnvironmentLoader.new
    loader.add(path: Pathname(File.expand_path("../sig", __dir__)))
    RBS::Environment.from_loader(loader).resolve_type_names
  end

  it "parse and resolve" do
    expect(env.class_decls.keys.map(&:to_s)).to include("::PipelineGuard::Keyring")
  end

  it "declare only methods the gem defines" do
    missing = []
    env.class_decls.each do |name, entry|
      next unless name.to_s.start_with?("::PipelineGuard")

      const = Object.const_get(name.to_s.delete_prefix("::"))
      entry.decls.each do |d|
        d.decl.members.grep(RBS::AST::Members::MethodDefinition).each do |m|
          defined = if m.singleton?
                      const.respond_to?(m.name)
                    else
                      const.method_defined?(m.name) || const.private_method_defined?(m.name)
                    end
          missing << "#{name}#{m.singleton? ? '.' : '#'}#{m.name}" unless defined
        end
        d.decl.members.grep(RBS::AST::Members::AttrReader).each do |m|
          missing << "#{name}##{m.name}" unless const.method_defined?(m.name)
        end
      end
    end
    expect(missing).to eq([])
  end
end
