# frozen_string_literal: true

module Types
  class PrincipalType < BaseObject
    graphql_name "Principal"
    field :type, Types::PrincipalTypeEnum, null: false
    field :id, Integer, null: false
  end
end
