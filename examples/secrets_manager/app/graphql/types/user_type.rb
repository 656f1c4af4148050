# frozen_string_literal: true

module Types
  # The fields of GitLab's UserCore that the secrets-permission documents ask
  # for. Users here have no display name or avatar: `name` is the username
  # and `avatarUrl` is null.
  class UserType < BaseObject
    graphql_name "UserCore"
    description "Core represention of a GitLab user."
    field :id, ID, null: false, description: "Global ID of the user."
    field :username, String, null: false, description: "Username of the user."
    field :name, String, null: false, description: "Human-readable name of the user."
    field :avatar_url, String, null: true, description: "URL of the user's avatar."
    field :web_url, String, null: false, description: "Web URL of the user."

    def id = "gid://gitlab/User/#{object.id}"
    def name = object.username
    def avatar_url = nil
    def web_url = "#{IdTokens::ISSUER}/#{object.username}"
  end
end
