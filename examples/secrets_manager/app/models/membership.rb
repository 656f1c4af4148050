# frozen_string_literal: true

class Membership < ApplicationRecord
  REPORTER = 20
  DEVELOPER = 30
  MAINTAINER = 40
  OWNER = 50

  belongs_to :user
  belongs_to :member_role, optional: true

  after_commit { Authz.reset! }

  def active?(now = Time.now) = expires_at.nil? || now < expires_at
end
