# frozen_string_literal: true

# GitLab's RefMatcher: a protected branch, tag or environment name is either
# the exact name or a pattern in which `*` matches any characters, `/`
# included.
module RefMatcher
  def self.matches?(pattern, name)
    return pattern == name unless pattern.include?("*")

    /\A#{pattern.split('*', -1).map { |part| Regexp.escape(part) }.join('.*?')}\z/.match?(name)
  end
end
