# frozen_string_literal: true

class Project < ApplicationRecord
  belongs_to :group, optional: true
  has_many :secrets, dependent: :destroy
  has_many :secrets_permissions, dependent: :destroy
end
