# frozen_string_literal: true

module Types
  class GroupType < BaseObject
    graphql_name "Group"
    field :id, ID, null: false, description: "Global ID of the group."
    field :full_path, ID, null: false, description: "Full path of the group."
    field :archived, Boolean, null: true, description: "Indicates if the group or any ancestor is archived."
    field :marked_for_deletion, Boolean, null: false,
                                         description: "Indicates if group or any ancestor is scheduled to be deleted.",
                                         method: :marked_for_deletion?

    def id = "gid://gitlab/Group/#{object.id}"
  end
end
