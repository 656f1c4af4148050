# frozen_string_literal: true

$LOAD_PATH.unshift(File.expand_path("../lib", __dir__))
require "pipeline_guard"
require "json"
require "base64"

Dir[File.join(__dir__, "support", "**", "*.rb")].each { |f| require f }

VECTORS = File.expand_path("../../shared/vectors", __dir__)

# Loads ../shared/vectors/<rel>, or skips the example with a clear message.
def load_vectors(rel)
  path = File.join(VECTORS, rel)
  skip "vectors not found at #{path} (they live in ../shared/vectors)" unless File.exist?(path)
  JSON.parse(File.read(path))
end

RSpec.configure do |config|
  config.disable_monkey_patching!
  config.filter_run_when_matching :focus
  config.raise_errors_for_deprecations!
  config.order = :random
  Kernel.srand config.seed
  config.before(:suite) do
    raise "focused specs must not reach CI" if ENV["CI"] && config.filter.rules.key?(:focus)
  end

  # GC_STRESS=1 runs the native-boundary specs with GC.stress on, to catch
  # Ruby objects the extension fails to keep alive. Minor GCs on every
  # allocation (flag 0x01) catch exactly the young objects a native method
  # creates and forgets to keep reachable, at a fraction of the cost of a
  # full mark each time; GC_STRESS=full uses full GCs.
  if %w[1 full].include?(ENV["GC_STRESS"])
    config.around(:each, :gc_stress) do |example|
      GC.stress = ENV["GC_STRESS"] == "full" ? true : 0x01
      example.run
    ensure
      GC.stress = false
    end
  end
end
