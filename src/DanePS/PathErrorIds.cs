namespace DanePS;

/// <summary>A cmdlet's ErrorIds for the ways a path can fail before its content is read.</summary>
internal sealed class PathErrorIds
{
    public PathErrorIds(string fileNotFound, string notAFile, string fileUnreadable)
    {
        FileNotFound = fileNotFound;
        NotAFile = notAFile;
        FileUnreadable = fileUnreadable;
    }

    /// <summary>No such file, or a wildcard that matches no file (ObjectNotFound).</summary>
    public string FileNotFound { get; }

    /// <summary>A directory, or a path of another provider such as Cert: or HKLM: (InvalidArgument).</summary>
    public string NotAFile { get; }

    /// <summary>The file exists but cannot be read (ReadError, or PermissionDenied).</summary>
    public string FileUnreadable { get; }
}
