# frozen_string_literal: true

module Types
  class PrincipalInputType < GraphQL::Schema::InputObject
    graphql_name "PrincipalInput"
    description "Representation of who is provided access to. For eg: User/Role/MemberRole."
    argument :id, Integer, required: true, description: "ID of the principal."
    argument :type, Types::PrincipalTypeEnum, required: true, description: "Type of the principal."
  end
end
