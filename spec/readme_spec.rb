# frozen_string_literal: true

# Every ```ruby block in README.md and docs/*.md runs, so documented
# examples cannot rot. Blocks marked ```text are documentation only.
RSpec.describe "documentation examples" do
  root = File.expand_path("..", __dir__)
  files = [File.join(root, "README.md"), *Dir[File.join(root, "docs", "*.md")]].select { |f| File.exist?(f) }

  files.each do |file|
    File.read(file).scan(/^```ruby\n(.*?)^```/m).each_with_index do |(code), i|
      it "runs #{File.basename(file)} example #{i + 1}" do
        sandbox = Object.new
        expect { sandbox.instance_eval(code, file) }.not_to raise_error
      end
    end
  end

  it "found the README" do
    expect(files).to include(File.join(root, "README.md"))
  end
end
