# frozen_string_literal: true

require "digest"
require "securerandom"

module Ci
  # A runner, authenticated by its token (only a digest is stored).
  class Runner < ApplicationRecord
    # Creates a runner and returns [runner, token].
    def self.create_with_token!(description)
      token = "glrt-#{SecureRandom.urlsafe_base64(24)}"
      [create!(description:, token_digest: digest(token)), token]
    end

    def self.find_by_token(token)
      return nil if token.nil? || token.empty?

      find_by(token_digest: digest(token))
    end

    def self.digest(token) = Digest::SHA256.hexdigest(token)
  end
end
