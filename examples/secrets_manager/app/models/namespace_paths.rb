# frozen_string_literal: true

# Namespace path arithmetic: "a/b/c" is below "a/b" and "a".
module NamespacePaths
  def self.self_and_ancestors(path)
    parts = path.to_s.split("/")
    parts.each_index.map { |i| parts[0..i].join("/") }.reverse
  end
end
