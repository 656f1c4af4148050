# frozen_string_literal: true

RSpec.describe "docs/openbao_acl.md" do
  blocks = File.read(File.expand_path("../../docs/openbao_acl.md", __dir__)).scan(/```ruby\n(.*?)```/m).flatten

  it "has runnable examples" do
    expect(blocks.size).to be >= 3
  end

  blocks.each_with_index do |code, i|
    it "runs ruby block #{i + 1} with only require \"pipeline_guard\"" do
      expect { Object.new.instance_eval(code, "docs/openbao_acl.md[#{i + 1}]") }.not_to raise_error
    end
  end
end
