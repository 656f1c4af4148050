# frozen_string_literal: true

class MemberRole < ApplicationRecord
  serialize :abilities, JSON
end
