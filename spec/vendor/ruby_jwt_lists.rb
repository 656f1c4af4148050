# frozen_string_literal: true

# The two lists that go with the vendored ruby-jwt suites, one entry a line:
#   <suite version> <example id or spec file> -- <reason>
# ruby_jwt_exclusions.txt: examples that cannot apply (they mock ruby-jwt
#   internals, need RbNaCl key objects, or hit a deliberate refusal that
#   docs/jwt.md documents); skipped.
# ruby_jwt_known_failures.txt: incompatibilities not fixed yet; they run as
#   pending, so one that starts passing fails the run until it is removed.
# A spec file (no "[...]") stands for all of its examples; it is not loaded.
module RubyJwtLists
  DIR = __dir__

  def self.read(name, version)
    File.readlines(File.join(DIR, name), chomp: true).each_with_object({}) do |line, out|
      next if line.strip.empty? || line.start_with?("#")

      entry_version, id, reason = parse(name, line)
      out[id] = reason if entry_version == version
    end
  end

  def self.parse(name, line)
    entry_version, id, reason = line.split(" ", 3)
    raise "#{name}: malformed line #{line.inspect}" unless id && reason&.start_with?("-- ")

    [entry_version, id, reason.delete_prefix("-- ")]
  end

  def self.excluded(version) = read("ruby_jwt_exclusions.txt", version)
  def self.known_failures(version) = read("ruby_jwt_known_failures.txt", version)

  def self.files(list) = list.keys.reject { |id| id.include?("[") }
end
