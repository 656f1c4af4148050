# frozen_string_literal: true

require "ripper"
require "stringio"

# The one runner for documentation examples: every ```ruby block in
# README.md and docs/*.md runs, and every result it shows on a line
# (`expr # => value`, also after `p`/`puts`) is checked, so documented
# examples and their printed results cannot rot. A shown value with `...`
# matches any text there; a trailing "(remark)" is ignored; a shown value
# that is not Ruby (`# => claims Hash`) is prose, except after `puts`,
# where it is the printed text. Blocks marked ```text are not run.
module DocExamples
  Check = Struct.new(:line, :printer, :shown, :value)

  RESULT = /\A(?<indent>\s*)(?<printer>(?:p|puts)\s+)?(?<expr>\S.*?)\s+# => (?<shown>.+?)\s*\z/

  module_function

  # The block's code with each `expr # => shown` line turned into a call
  # that records the value, plus the recorded checks.
  def instrument(code)
    checks = []
    lines = code.lines.each_with_index.map do |line, i|
      m = RESULT.match(line.chomp)
      next line unless m && complete?(m[:expr])

      checks << Check.new(i + 1, m[:printer]&.strip, m[:shown].sub(/\s+\(.*\)\z/, ""))
      "#{m[:indent]}__doc_result__(#{checks.size - 1}, (#{m[:expr]}))\n"
    end
    [lines.join, checks]
  end

  def complete?(expr)
    !Ripper.sexp(expr).nil? && !expr.start_with?(".")
  end

  # nil when the shown value matches, else a message.
  def mismatch(check, sandbox)
    actual = check.printer == "puts" ? check.value.to_s : check.value.inspect
    matched = check.shown.include?("...") ? wildcard?(check, actual) : same_value?(check, actual, sandbox)
    return nil if matched

    "line #{check.line}: shows #{check.shown}, got #{actual}"
  end

  def wildcard?(check, actual)
    parts = check.shown.split("...", -1).map { |s| Regexp.escape(s) }
    pattern = Regexp.new("\\A#{parts.join('.*')}\\z", Regexp::MULTILINE)
    pattern.match?(actual) || (check.printer != "puts" && pattern.match?(check.value.to_s))
  end

  # A shown value that is not Ruby is prose, or after `puts` the text.
  def same_value?(check, actual, sandbox)
    expected = shown_value(check, sandbox)
    return check.printer != "puts" || actual == check.shown if expected.equal?(PROSE)

    expected == check.value || (check.printer == "puts" && expected.to_s == actual)
  end

  PROSE = Object.new.freeze

  def shown_value(check, sandbox)
    sandbox.instance_eval(check.shown)
  rescue SyntaxError, NameError
    PROSE
  end
end

RSpec.describe "documentation examples" do
  root = File.expand_path("..", __dir__)
  files = [File.join(root, "README.md"), *Dir[File.join(root, "docs", "*.md")]].select { |f| File.exist?(f) }

  files.each do |file|
    File.read(file).scan(/^```ruby\n(.*?)^```/m).each_with_index do |(code), i|
      it "runs #{File.basename(file)} example #{i + 1} and shows its real results" do
        source, checks = DocExamples.instrument(code)
        sandbox = Object.new
        sandbox.define_singleton_method(:__doc_result__) { |n, value| checks[n].value = value }
        printed = StringIO.new # what the example prints is checked above, not shown
        original = $stdout
        $stdout = printed
        begin
          expect { sandbox.instance_eval(source, file) }.not_to raise_error
        ensure
          $stdout = original
        end
        mismatches = checks.filter_map { |c| DocExamples.mismatch(c, sandbox) }
        expect(mismatches).to be_empty
      end
    end
  end

  it "found the README and checks shown results" do
    expect(files).to include(File.join(root, "README.md"))
    shown = files.sum { |f| File.read(f).scan(/^```ruby\n(.*?)^```/m).sum { |(c)| DocExamples.instrument(c)[1].size } }
    expect(shown).to be > 50
  end
end
