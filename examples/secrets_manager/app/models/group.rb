# frozen_string_literal: true

class Group < ApplicationRecord
  has_many :projects, dependent: :destroy
end
