# frozen_string_literal: true

require "open3"
require "rbconfig"

# Every ```ruby block of docs/rails.md runs on its own with only
# `require "pipeline_guard"` available.
RSpec.describe "docs/rails.md" do
  doc = File.read(File.expand_path("../../docs/rails.md", __dir__))
  blocks = doc.scan(/^```ruby\n(.*?)^```/m).flatten

  it "has runnable examples" do
    expect(blocks.size).to be >= 3
  end

  blocks.each_with_index do |code, i|
    it "runs example #{i + 1}" do
      lib = File.expand_path("../../lib", __dir__)
      out, status = Open3.capture2e(RbConfig.ruby, "-I#{lib}", "-e", code)
      expect(status).to be_success, out
    end
  end
end
