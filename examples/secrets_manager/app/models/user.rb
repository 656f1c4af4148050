# frozen_string_literal: true

require "digest"
require "securerandom"

class User < ApplicationRecord
  has_many :memberships, dependent: :destroy

  # Creates a user and returns [user, personal access token].
  def self.create_with_token!(username)
    token = "glpat-#{SecureRandom.urlsafe_base64(24)}"
    [create!(username:, token_digest: digest(token)), token]
  end

  def self.find_by_token(token)
    return nil if token.nil? || token.empty?

    find_by(token_digest: digest(token), blocked: false)
  end

  def self.digest(token) = Digest::SHA256.hexdigest(token)
end
