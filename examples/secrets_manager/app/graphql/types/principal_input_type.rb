# frozen_string_literal: true

module Types
  class PrincipalInputType < GraphQL::Schema::InputObject
    graphql_name "PrincipalInput"
    argument :type, Types::PrincipalTypeEnum, required: true, description: "Type of the principal."
    argument :id, Integer, required: true, description: "ID of the principal (access level for ROLE)."
  end
end
