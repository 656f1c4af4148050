# frozen_string_literal: true

module Types
  class ProjectType < BaseObject
    graphql_name "Project"
    field :id, ID, null: false
    field :full_path, ID, null: false
  end
end
