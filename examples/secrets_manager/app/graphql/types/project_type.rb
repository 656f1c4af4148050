# frozen_string_literal: true

module Types
  class ProjectType < BaseObject
    graphql_name "Project"
    field :id, ID, null: false, description: "Global ID of the project."
    field :full_path, ID, null: false, description: "Full path of the project."
    field :archived, Boolean, null: true, description: "Indicates if the project or any ancestor is archived."
    field :marked_for_deletion, Boolean, null: true,
                                         description: "Indicates if the project or any ancestor is scheduled for " \
                                                      "deletion."
    field :repository, Types::RepositoryType, null: true, description: "Git repository of the project."

    def id = "gid://gitlab/Project/#{object.id}"
    def archived = object.archived || object.group&.archived || false
    def marked_for_deletion = object.marked_for_deletion? || object.group&.marked_for_deletion? || false
    def repository = object
  end
end
