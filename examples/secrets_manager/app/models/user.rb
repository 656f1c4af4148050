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

  # Groups whose members include this user (directly or through a parent).
  # One query, whatever the number of groups: a group matches a path
  # exactly or lies below it (a case-sensitive prefix, unlike LIKE).
  def group_ids(now: Time.now)
    paths = memberships.select { |m| m.active?(now) }.map(&:path).uniq
    return [] if paths.empty?

    sql = Array.new(paths.size, "full_path = ? OR substr(full_path, 1, ?) = ?").join(" OR ")
    Group.where(sql, *paths.flat_map { |p| [p, p.length + 1, "#{p}/"] }).order(:id).pluck(:id)
  end
end
